// Generated from schemas/api/openapi.yaml by `npm run api-types`. Do not edit: `npm run lint` fails when stale.
export interface paths {
    "/uploads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Plan a direct upload to S3.
         * @description Up to the single-request limit: a presigned POST (exact key, exact size, Content-Type and metadata pinned by its policy). Above it: presigned multipart, with a URL per part (signed for that part's exact size) and presigned complete and abort calls. Refused past the caller's quotas (413, 429). Writes no state: the object's arrival in S3 starts the process-upload workflow, and the file appears as PROCESSING.
         */
        post: operations["createUpload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's usage of their quotas, and the limits. */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Turn the caller's email notifications on or off.
         * @description `uploadProblems`: email the caller when one of their uploads ends REJECTED or INFECTED (off by default). Runs the update-notifications workflow; `GET /me` shows the setting.
         */
        put: operations["putNotifications"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/files": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's own files, newest first. */
        get: operations["listFiles"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/files/{fileId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A file id; anything that is not one of the caller's files answers 404. */
                fileId: components["parameters"]["fileId"];
            };
            cookie?: never;
        };
        /** One of the caller's files, with its status and share links. */
        get: operations["getFile"];
        put?: never;
        post?: never;
        /** Delete the file; its object (every version) and all its links go at once. */
        delete: operations["deleteFile"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/files/{fileId}/downloads": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A file id; anything that is not one of the caller's files answers 404. */
                fileId: components["parameters"]["fileId"];
            };
            cookie?: never;
        };
        /** The file's download audit, newest first. */
        get: operations["listFileDownloads"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/files/{fileId}/shares": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A file id; anything that is not one of the caller's files answers 404. */
                fileId: components["parameters"]["fileId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a share link (expiry, download limit, password). */
        post: operations["createShare"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/files/{fileId}/shares/{shareId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A file id; anything that is not one of the caller's files answers 404. */
                fileId: components["parameters"]["fileId"];
                /** @description A share id of that file; anything else answers 404. */
                shareId: components["parameters"]["shareId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a link; it stops working at once. */
        delete: operations["revokeShare"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/files/{fileId}/shares/{shareId}/emails": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A file id; anything that is not one of the caller's files answers 404. */
                fileId: components["parameters"]["fileId"];
                /** @description A share id of that file; anything else answers 404. */
                shareId: components["parameters"]["shareId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send this link to up to 10 addresses, with an optional note.
         * @description Checks each address (syntax, no DNS), then runs the send-share-email workflow: the link must be the caller's and live (unrevoked, unexpired, not used up), and the recipients are counted against the caller's hourly allowance (`MaxShareEmailsPerHour` recipients in each clock hour, counted atomically); it publishes `ShareEmailRequested` and the mailer sends one message per address with exactly this link. Nothing is sent for a refused request.
         */
        post: operations["emailShare"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/shares": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's links to several files, newest first.
         * @description Paged like `GET /files`. Each link lists the files it still serves; revoked links are listed without token or URL. A file's own links are in `GET /files/{fileId}`.
         */
        get: operations["listLinks"];
        put?: never;
        /**
         * One link to several of the caller's READY files (expiry, download limit, password).
         * @description The options are those of a file's link. **The download limit counts per link, not per file**: one redemption (`POST /public/shares/{token}/download`) answers a presigned GET for every file still present and counts as one download; with `maxDownloads` 1 the first redemption gets every file and the second is refused with the one 404. A file deleted or expired after the link was made drops out of the link (its details and its redemptions); once none is left the link answers the one 404. Each file must be the caller's own and READY (another owner's, a deleted or an unknown id answers 404 naming it; a file not READY 409 `file_not_ready`), and each counts the link toward its own `MaxSharesPerFile` (409 `share_limit_reached`). 2 to 50 distinct ids (400 otherwise); one file: `POST /files/{fileId}/shares`.
         */
        post: operations["createLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/shares/{shareId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id of one of the caller's links to several files; anything else answers 404. */
                shareId: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a link to several files; it stops working at once. */
        delete: operations["revokeLink"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/public/shares/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The share token from the link `/s/{token}`; anything else answers the one 404. */
                token: components["parameters"]["token"];
            };
            cookie?: never;
        };
        /**
         * What a link offers.
         * @description A link without a password: the file's details; a link to several files: `files`, those still present, in the owner's order (none left: the one 404). A password link: only `{"passwordRequired": true, "expiresAt"}`, nothing about the files, until its password is checked by `POST /public/shares/{token}/unlock`.
         */
        get: operations["describeShare"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/public/shares/{token}/unlock": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The share token from the link `/s/{token}`; anything else answers the one 404. */
                token: components["parameters"]["token"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Check a password link's password and show the file's details.
         * @description Takes one of the link's password attempts exactly as a download does (the same lockout: after `PasswordMaxAttempts` guesses the link is locked and every guess, the right one too, answers 429). Counts no download. The right password resets the count of attempts. A link without a password answers its details whatever the password.
         */
        post: operations["unlockShare"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/public/shares/{token}/download": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The share token from the link `/s/{token}`; anything else answers the one 404. */
                token: components["parameters"]["token"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Count one download and get a short-lived presigned GET (attachment).
         * @description Counting is atomic: with a limit of N, exactly N redemptions succeed however many race. For a password link the password takes one of the link's attempts before it is checked, as `unlock` does, so at most `PasswordMaxAttempts` guesses are ever judged. A link to several files counts **per link**: one redemption answers `files`, a presigned GET (attachment, the scanned version, 300 s) for every file still present, and counts as one download.
         */
        post: operations["redeemDownload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's file requests, newest first, each with the files it received. */
        get: operations["listRequests"];
        put?: never;
        /**
         * Create a file request (title, expiry, file count and size limits, password).
         * @description Runs the create-request command workflow. The link `<AppUrl>/r/{token}` lets anyone holding it upload files to the caller, each counted against the caller's own quotas; `maxFiles` tickets at most, taken atomically.
         */
        post: operations["createRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/requests/{requestId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A file request id; anything that is not one of the caller's requests answers 404. */
                requestId: components["parameters"]["requestId"];
            };
            cookie?: never;
        };
        /** One of the caller's file requests and the files it received, newest first. */
        get: operations["getRequest"];
        put?: never;
        post?: never;
        /** Close a file request; the link stops accepting uploads at once, the files received stay. */
        delete: operations["closeRequest"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/public/requests/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The request token from the link `/r/{token}`; anything else answers the one 404. */
                token: components["parameters"]["requestToken"];
            };
            cookie?: never;
        };
        /**
         * What a file request asks for (never who asks).
         * @description An open request without a password: its title, expiry, size limit and the files left. A password request: only `{"passwordRequired": true, "expiresAt"}` until its password is checked by `POST /public/requests/{token}/unlock`. Closed, expired, full and unknown requests all answer the one 404.
         */
        get: operations["describeRequest"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/public/requests/{token}/unlock": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The request token from the link `/r/{token}`; anything else answers the one 404. */
                token: components["parameters"]["requestToken"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Check a password request's password and show its details.
         * @description The same lockout as share links: each guess takes one of the request's attempts before it is checked; after `PasswordMaxAttempts` the request is locked and every guess answers 429. The right password resets the count.
         */
        post: operations["unlockRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/public/requests/{token}/uploads": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The request token from the link `/r/{token}`; anything else answers the one 404. */
                token: components["parameters"]["requestToken"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Get an upload ticket for one file, owned by the request's owner.
         * @description The same plan as `POST /uploads` (presigned POST or multipart), for a file of the request's owner that carries the request id and the uploader's name. The password, the request's `maxBytes`, the name and the owner's quotas are judged first; then the redeem-request workflow takes one of the request's `maxFiles` atomically (with `maxFiles` N, exactly N tickets however many uploaders race). The file goes through the process-upload workflow.
         */
        post: operations["createRequestUpload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/public/requests/{token}/uploads/{fileId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The request token from the link `/r/{token}`; anything else answers the one 404. */
                token: components["parameters"]["requestToken"];
                /** @description A file uploaded through this request; any other file id answers 404. */
                fileId: string;
            };
            cookie?: never;
        };
        /** The verdict on a file sent through this request (also once it is closed). */
        get: operations["getRequestUpload"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ops/executions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Executions of the Standard workflows, newest first, with file id, status, timing and failure (operators).
         * @description Express commands (owner commands, redrive, reconcile) are not kept by Step Functions and are not listed; their failures count in the CommandsFailed metric. Every call is audited with the caller's `sub`.
         */
        get: operations["listExecutions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ops/files/{fileId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Any file id (operators see every owner's files). */
                fileId: string;
            };
            cookie?: never;
        };
        /**
         * The file record plus its executions, each with its step-by-step history (operators).
         * @description Share tokens, links, passwords, password hashes and KMS ciphertexts are redacted before the answer leaves the function.
         */
        get: operations["getFileForOperators"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ops/executions/{executionId}/redrive": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The execution's ARN (percent-encoded or not), of a Standard workflow. */
                executionId: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Continue a failed, timed-out or aborted execution from the state it stopped in (operators).
         * @description Runs RedriveExecution through the redrive command workflow: same execution ARN, its redrive count goes up, the steps that succeeded are not run again.
         */
        post: operations["redriveExecution"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ops/reconcile": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Find (and with repair, fix) what the event path lost (operators).
         * @description Objects with no record, records stuck in PROCESSING with no running execution, records whose object is gone. With `repair`, process-upload starts for each lost object and each stuck record turns FAILED with a reason; missing objects are only reported.
         */
        post: operations["reconcile"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** POST /uploads request */
        "create-upload.request": {
            /** @description The file's name as the owner's browser knows it; sanitized by the workflow. */
            name: string;
            /** @description Exact size in bytes; the presigned POST allows exactly this many. */
            size: number;
            /** @description The declared media type, without parameters. */
            contentType: string;
        };
        /**
         * Presigned POST
         * @description POST a multipart/form-data body to url with every field, then the file last.
         */
        post: {
            fileId: string;
            /** @constant */
            method: "POST";
            /**
             * Format: uri
             * @description The bucket endpoint.
             */
            url: string;
            /** @description Form fields to send verbatim. The policy pins the key, the exact size, the Content-Type and the owner/name/size metadata that the workflow checks again. */
            fields: {
                key: string;
                policy: string;
                "x-amz-meta-owner": string;
                /** @description Percent-encoded. */
                "x-amz-meta-name": string;
                "x-amz-meta-size": string;
            } & {
                [key: string]: string;
            };
            /**
             * Format: date-time
             * @description When the presigned POST stops working (at most 15 minutes).
             */
            expiresAt: string;
        };
        /**
         * Presigned multipart upload
         * @description PUT each part's bytes to its url (exactly its size: partSize bytes each, the last one shorter; the signature covers Content-Length), collect the ETag of each answer, POST the CompleteMultipartUpload XML to completeUrl; DELETE abortUrl to give up.
         */
        multipart: {
            fileId: string;
            /** @constant */
            method: "MULTIPART";
            uploadId: string;
            partSize: number;
            parts: {
                partNumber: number;
                /**
                 * Format: uri
                 * @description Presigned UploadPart (PUT), valid only for a body of exactly size bytes.
                 */
                url: string;
                /** @description The part's exact size in bytes, signed into its url as Content-Length: partSize, or less for the last part. */
                size: number;
            }[];
            /**
             * Format: uri
             * @description Presigned CompleteMultipartUpload (POST).
             */
            completeUrl: string;
            /**
             * Format: uri
             * @description Presigned AbortMultipartUpload (DELETE).
             */
            abortUrl: string;
            /**
             * Format: date-time
             * @description When the part, complete and abort URLs stop working: 15 minutes plus the time the file takes at 512 KiB/s (MULTIPART_MIN_BYTES_PER_SECOND), at most 6 hours.
             */
            expiresAt: string;
        };
        /**
         * POST /uploads response (201)
         * @description The upload plan from fileshare.core.uploads.plan_upload: a presigned POST up to the single-request limit, presigned multipart above it. Told apart by method.
         */
        "create-upload.response": {
            $defs: {
                /**
                 * Presigned POST
                 * @description POST a multipart/form-data body to url with every field, then the file last.
                 */
                post: {
                    fileId: string;
                    /** @constant */
                    method: "POST";
                    /**
                     * Format: uri
                     * @description The bucket endpoint.
                     */
                    url: string;
                    /** @description Form fields to send verbatim. The policy pins the key, the exact size, the Content-Type and the owner/name/size metadata that the workflow checks again. */
                    fields: {
                        key: string;
                        policy: string;
                        "x-amz-meta-owner": string;
                        /** @description Percent-encoded. */
                        "x-amz-meta-name": string;
                        "x-amz-meta-size": string;
                    } & {
                        [key: string]: string;
                    };
                    /**
                     * Format: date-time
                     * @description When the presigned POST stops working (at most 15 minutes).
                     */
                    expiresAt: string;
                };
                /**
                 * Presigned multipart upload
                 * @description PUT each part's bytes to its url (exactly its size: partSize bytes each, the last one shorter; the signature covers Content-Length), collect the ETag of each answer, POST the CompleteMultipartUpload XML to completeUrl; DELETE abortUrl to give up.
                 */
                multipart: {
                    fileId: string;
                    /** @constant */
                    method: "MULTIPART";
                    uploadId: string;
                    partSize: number;
                    parts: {
                        partNumber: number;
                        /**
                         * Format: uri
                         * @description Presigned UploadPart (PUT), valid only for a body of exactly size bytes.
                         */
                        url: string;
                        /** @description The part's exact size in bytes, signed into its url as Content-Length: partSize, or less for the last part. */
                        size: number;
                    }[];
                    /**
                     * Format: uri
                     * @description Presigned CompleteMultipartUpload (POST).
                     */
                    completeUrl: string;
                    /**
                     * Format: uri
                     * @description Presigned AbortMultipartUpload (DELETE).
                     */
                    abortUrl: string;
                    /**
                     * Format: date-time
                     * @description When the part, complete and abort URLs stop working: 15 minutes plus the time the file takes at 512 KiB/s (MULTIPART_MIN_BYTES_PER_SECOND), at most 6 hours.
                     */
                    expiresAt: string;
                };
            };
        } & (components["schemas"]["post"] | components["schemas"]["multipart"]);
        /**
         * Error
         * @description Every 4xx the functions answer (fileshare.api.http.error_response).
         */
        error: {
            error: {
                /**
                 * @description Stable, for machines.
                 * @example invalid_request
                 * @example upload_too_large
                 * @example name_too_long
                 * @example not_found
                 * @example unauthorized
                 * @example forbidden
                 * @example password_required
                 * @example wrong_password
                 * @example conflict
                 * @example file_not_ready
                 * @example file_processing
                 * @example too_many_attempts
                 */
                code: string;
                /** @description For people. */
                message: string;
            };
        };
        /**
         * API Gateway error
         * @description What API Gateway itself answers when it refuses a request before any function runs, e.g. the JWT authorizer's 401 {"message": "Unauthorized"}. Not the functions' error shape.
         */
        "gateway-error": {
            message: string;
        };
        /** An owner's email notifications (GET /me notifications; PUT /me/notifications request and response) */
        notifications: {
            /** @description Email the owner when an upload ends REJECTED or INFECTED (off by default). */
            uploadProblems: boolean;
        };
        /**
         * GET /me response (200)
         * @description The caller's usage of their quotas and the limits that apply (fileshare.api.files.me). Usage is recorded by the workflows: bytesStored sums the storedBytes of the caller's files not yet deleted or expired; uploadsLastHour counts the uploads registered in the last 60 minutes. notifications: the caller's email settings.
         */
        "me.response": {
            usage: {
                bytesStored: number;
                uploadsLastHour: number;
            };
            limits: {
                /** @description POST /uploads answers 413 quota_exceeded when a file would take bytesStored past this. */
                maxBytesStored: number;
                /** @description POST /uploads answers 429 upload_rate_exceeded once uploadsLastHour reaches this. */
                maxUploadsPerHour: number;
                /** @description The largest single file (400 upload_too_large above it). */
                maxUploadBytes: number;
                /** @description Links one file may have, revoked ones included (409 share_limit_reached past it). */
                maxSharesPerFile: number;
            };
            notifications: components["schemas"]["notifications"];
        };
        /**
         * LinkFile
         * @description One file of a link to several files, as the link lists it (fileshare.core.shares.link_file_view): only files still present (not deleted or expired).
         */
        "link-file": {
            fileId: string;
            name: string;
            size: number;
            /** @description The type the download is served as. */
            contentType: string;
        };
        /**
         * Share
         * @description A share link as its owner sees it (fileshare.core.shares.owner_view): in File.shares and as the answer of POST /files/{fileId}/shares; a link to several files (POST /shares, GET /shares) also lists its files. Only owners ever see a Share. A live link carries token and url (decrypted from the stored KMS ciphertext); a revoked one is never decrypted again and has neither.
         */
        share: {
            shareId: string;
            /** @description 256 bits, URL-safe base64 without padding. */
            token?: string;
            /**
             * Format: uri
             * @description <AppUrl>/s/<token>
             */
            url?: string;
            /** Format: date-time */
            createdAt: string;
            /**
             * Format: date-time
             * @description Never later than the file's own expiry.
             */
            expiresAt: string;
            maxDownloads?: number;
            downloads: number;
            revoked: boolean;
            passwordProtected: boolean;
            /**
             * Format: date-time
             * @description Set after too many wrong passwords; downloads answer 429 until then.
             */
            lockedUntil?: string;
            /** @description Only for a link to several files: the files it still serves (a deleted or expired file drops out; none left: the link is dead). */
            files?: components["schemas"]["link-file"][];
        };
        /**
         * File
         * @description One of the caller's files with its share links (fileshare.core.shares.file_view).
         */
        file: {
            fileId: string;
            /** @description Sanitized: safe to show and to save as. */
            name: string;
            /** @description The name as uploaded, before sanitizing: display only, always escaped. */
            originalName?: string;
            size: number;
            /** @description As declared by the upload. */
            contentType: string;
            /** @description Sniffed from the bytes, or 'unknown'. */
            detectedType?: string;
            /**
             * @description PROCESSING until the workflow ends in exactly one of READY, REJECTED, INFECTED or FAILED.
             * @enum {unknown}
             */
            status: "PROCESSING" | "READY" | "REJECTED" | "INFECTED" | "FAILED" | "DELETED" | "EXPIRED";
            /** Format: date-time */
            createdAt: string;
            /**
             * Format: date-time
             * @description When the file is swept (absent: kept until deleted).
             */
            expiresAt?: string;
            sha256?: string;
            /** @description Why it is REJECTED, INFECTED or FAILED. */
            reason?: string;
            /** @description Downloads through all of its links. */
            downloads: number;
            /** @description Oldest first. */
            shares: components["schemas"]["share"][];
            /** @description The file request it arrived through (GET /requests/{requestId}). */
            requestId?: string;
            /** @description The name the uploader gave (cleaned of control, format and bidi characters, at most 64 characters). */
            uploaderName?: string;
        } & (unknown & unknown);
        /**
         * GET /files response (200)
         * @description A page of the caller's own files, newest first.
         */
        "file-list.response": {
            items: components["schemas"]["file"][];
            /** @description Opaque; pass it back as ?nextToken= for the next page. Absent on the last page. */
            nextToken?: string;
        };
        /**
         * GET /files/{fileId}/downloads response (200)
         * @description The download audit of one of the caller's files, newest first (DownloadRecord.to_view).
         */
        "downloads.response": {
            items: {
                /** Format: date-time */
                at: string;
                shareId: string;
                /** @description From API Gateway's request context, never X-Forwarded-For. */
                sourceIp: string;
                userAgent: string;
            }[];
        };
        /** POST /files/{fileId}/shares request */
        "create-share.request": {
            /** @description Lifetime of the link; default and maximum come from configuration, and a link never outlives its file. */
            expiresInSeconds?: number;
            /** @description Downloads allowed through this link, enforced atomically. */
            maxDownloads?: number;
            /** @description At least 8 characters; stored only as an scrypt hash. */
            password?: string;
        };
        /** POST /files/{fileId}/shares/{shareId}/emails request */
        "share-email.request": {
            /** @description 1 to 10 addresses; each is checked (syntax only, no DNS) and the first bad one is named in the 400. */
            to: string[];
            /** @description An optional plain-text note shown in the email (HTML-escaped there). */
            message?: string;
        };
        /**
         * POST /files/{fileId}/shares/{shareId}/emails response (202)
         * @description The request was counted and handed to the mailer, which sends one message per address.
         */
        "share-email.response": {
            /** @description The addresses as they will be written to (normalised, duplicates dropped). */
            recipients: string[];
            /** @description Recipients the caller may still email before the hour's window ends. */
            remainingThisHour: number;
        };
        /**
         * GET /shares response (200)
         * @description A page of the caller's links to several files, newest first, revoked ones included; each lists the files it still serves.
         */
        "link-list.response": {
            items: (components["schemas"]["share"] & unknown)[];
            /** @description Opaque; pass it back as ?nextToken= for the next page. Absent on the last page. */
            nextToken?: string;
        };
        /**
         * POST /shares request
         * @description One link to several of the caller's READY files, with the options of a file's link. Its download limit counts per link: one redemption gives every file still present and counts as one download.
         */
        "create-link.request": {
            /** @description 2 to 50 distinct ids of the caller's READY files, in the order the link lists them (fileshare.core.shares.MAX_FILES_PER_LINK). One file: POST /files/{fileId}/shares. */
            fileIds: string[];
            /** @description Lifetime of the link; default and maximum come from configuration, and a link never outlives the last of its files. */
            expiresInSeconds?: number;
            /** @description Redemptions allowed through this link, enforced atomically; one redemption gives every file. */
            maxDownloads?: number;
            /** @description At least 8 characters; stored only as an scrypt hash. */
            password?: string;
        };
        /**
         * A live link's details
         * @description What a recipient sees of a live link (fileshare.core.shares.public_view): at once for a link without a password; for a password link only from POST /public/shares/{token}/unlock with the right password.
         */
        "public-share-details": {
            name: string;
            size: number;
            /** @description The type the download is served as. */
            contentType: string;
            /**
             * Format: date-time
             * @description The earlier of the link's and the file's expiry.
             */
            expiresAt: string;
            /** @description Only for links with a download limit. */
            downloadsLeft?: number;
            /** @description true: the details were unlocked with the link's password, which each download needs too. */
            passwordRequired: boolean;
        };
        /**
         * A live link to several files: its details
         * @description What a recipient sees of a live link to several files (fileshare.core.shares.public_view): the files still present, in the owner's order. As for a file's link, a password link shows this only after POST /public/shares/{token}/unlock.
         */
        "public-link-details": {
            files: components["schemas"]["link-file"][];
            /**
             * Format: date-time
             * @description The earlier of the link's expiry and the last of its files' expiry.
             */
            expiresAt: string;
            /** @description Only for links with a download limit; one download gives every file. */
            downloadsLeft?: number;
            /** @description true: the details were unlocked with the link's password, which each download needs too. */
            passwordRequired: boolean;
        };
        /**
         * GET /public/shares/{token} response (200)
         * @description A link without a password: its details (a link to several files: public-link-details.json). A password link: only that it needs one, and until when; its details come from POST /public/shares/{token}/unlock. Unknown, expired, revoked, exhausted or not-clean links all answer the same 404.
         */
        "public-share.response": components["schemas"]["public-share-details"] | components["schemas"]["public-link-details"] | {
            /** @constant */
            passwordRequired: true;
            /**
             * Format: date-time
             * @description The earlier of the link's and the file's expiry.
             */
            expiresAt: string;
        };
        /**
         * POST /public/shares/{token}/unlock request
         * @description A guess at a password link's password; it takes one of the link's attempts, as a download does.
         */
        "unlock.request": {
            password: string;
        };
        /** POST /public/shares/{token}/download request */
        "download.request": {
            password?: string;
        };
        /**
         * POST /public/shares/{token}/download response (200)
         * @description A short-lived presigned GET of the scanned object version, served as an attachment.
         */
        "download.response": {
            /** Format: uri */
            url: string;
            /**
             * Format: date-time
             * @description A few minutes from now.
             */
            expiresAt: string;
            /** @description SHA-256 (hex) of the scanned object version the url serves, for the client to check what it saved. */
            sha256?: string;
        };
        /**
         * POST /public/shares/{token}/download response for a link to several files (200)
         * @description One redemption of a link to several files: a short-lived presigned GET (attachment, the scanned version) for every file still present, counted as one download.
         */
        "link-download.response": {
            files: {
                fileId: string;
                name: string;
                size: number;
                /** @description The type the download is served as. */
                contentType: string;
                /** Format: uri */
                url: string;
                /** Format: date-time */
                expiresAt: string;
                /** @description SHA-256 (hex) of the scanned object version the url serves. */
                sha256?: string;
            }[];
            /**
             * Format: date-time
             * @description When the URLs stop working, a few minutes from now; redeem again for new ones (another download).
             */
            expiresAt: string;
        };
        /**
         * RequestFile
         * @description The owner's summary of a file received through one of their requests (fileshare.core.file_requests.received_file_view); the full file is in GET /files.
         */
        "request-file": {
            fileId: string;
            name: string;
            size: number;
            contentType: string;
            /** @enum {unknown} */
            status: "PROCESSING" | "READY" | "REJECTED" | "INFECTED" | "FAILED" | "EXPIRED";
            /** Format: date-time */
            createdAt: string;
            reason?: string;
            /** @description The name the uploader gave (cleaned of control, format and bidi characters, at most 64 characters). */
            uploaderName?: string;
        };
        /**
         * FileRequest
         * @description One of the caller's file requests with the files it received, newest first (fileshare.core.file_requests.owner_view). A closed request shows no token or url.
         */
        request: {
            requestId: string;
            token?: string;
            /**
             * Format: uri
             * @description <AppUrl>/r/<token>: the page for uploaders.
             */
            url?: string;
            /** @description Shown to uploaders as text; control, format and bidi characters are removed. */
            title: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            expiresAt: string;
            maxFiles?: number;
            maxBytes: number;
            /** @description Upload tickets issued (counted against maxFiles, whether or not the upload then arrived). */
            filesAccepted: number;
            /** @description Files that arrived through it and are not deleted. */
            filesReceived: number;
            closed: boolean;
            /** Format: date-time */
            closedAt?: string;
            /** @description Open now: not closed, not expired, not full. */
            accepting: boolean;
            passwordProtected: boolean;
            /** Format: date-time */
            lockedUntil?: string;
            files: components["schemas"]["request-file"][];
        } & unknown;
        /**
         * GET /requests response (200)
         * @description A page of the caller's file requests, newest first, each with the files it received.
         */
        "request-list.response": {
            items: components["schemas"]["request"][];
            /** @description Opaque; pass it back as ?nextToken= for the next page. Absent on the last page. */
            nextToken?: string;
        };
        /**
         * POST /requests request
         * @description A file request: a link through which someone without an account uploads files to the caller.
         */
        "create-request.request": {
            /** @description What the request is for, shown to uploaders (at most 200 characters, as text). */
            title: string;
            /** @description How long the link accepts uploads; default and maximum as for share links. */
            expiresInSeconds?: number;
            /** @description Upload tickets the link issues, enforced atomically (absent: no limit but the owner's quotas). */
            maxFiles?: number;
            /** @description The largest file it takes; default and maximum MaxUploadBytes. */
            maxBytes?: number;
            /** @description At least 8 characters; stored only as an scrypt hash. */
            password?: string;
        };
        /**
         * A file request, as an uploader sees it
         * @description Never names the owner.
         */
        "public-request-details": {
            /** @description Shown to uploaders as text; control, format and bidi characters are removed. */
            title: string;
            /** Format: date-time */
            expiresAt: string;
            /** @description Upload tickets left, when the request has a maxFiles. */
            filesLeft?: number;
            /** @description The largest file it takes. */
            maxBytes: number;
            passwordRequired: boolean;
        };
        /**
         * GET /public/requests/{token} response (200)
         * @description An open request without a password: its details. A password request: only that it needs one, and until when; its details come from POST /public/requests/{token}/unlock. Unknown, expired, closed or full requests all answer the same 404.
         */
        "public-request.response": components["schemas"]["public-request-details"] | {
            /** @constant */
            passwordRequired: true;
            /** Format: date-time */
            expiresAt: string;
        };
        /**
         * POST /public/requests/{token}/uploads request
         * @description One file an uploader wants to send: the same fields as POST /uploads, the request's password when it has one, and optionally their name.
         */
        "request-upload.request": {
            /** @description The file's name as the owner's browser knows it; sanitized by the workflow. */
            name: string;
            /** @description Exact size in bytes; the presigned POST allows exactly this many. */
            size: number;
            /** @description The declared media type, without parameters. */
            contentType: string;
            password?: string;
            /** @description Shown to the owner beside the file. */
            uploaderName?: string;
        };
        /**
         * GET /public/requests/{token}/uploads/{fileId} response (200)
         * @description The verdict on a file the uploader sent through this request; nothing of the owner, no reason (a refusal may describe the owner's storage).
         */
        "request-upload-status": {
            fileId: string;
            name: string;
            size: number;
            /** @enum {unknown} */
            status: "PROCESSING" | "READY" | "REJECTED" | "INFECTED" | "FAILED" | "EXPIRED";
            /** Format: date-time */
            createdAt: string;
        };
        /**
         * One step of an execution (operators)
         * @description A state the execution entered, from its history: input and output (redacted), timing, retries, and the error that stopped it.
         */
        "ops-step": {
            name: string;
            /** @description Task, Choice, Pass, Map, Fail, Succeed... */
            type: string;
            /** @description 0 for the first run of the execution, then the redrive count that ran this step. */
            attempt: number;
            /**
             * @description SUCCEEDED once the state exited; otherwise how the execution stopped while in it.
             * @enum {unknown}
             */
            status: "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";
            enteredAt: string;
            exitedAt?: string;
            durationMs?: number | null;
            /** @description The state's input (JSON), secrets redacted. */
            input: unknown;
            /** @description The state's output (JSON), secrets redacted. */
            output?: unknown;
            /** @description Attempts after the first (the state's Retry). */
            retries: number;
            error?: string | null;
            /** @description Redacted. */
            cause?: string | null;
        };
        /**
         * A workflow execution (operators)
         * @description One execution of a Standard workflow; with its steps in GET /ops/files/{fileId}.
         */
        "ops-execution": {
            executionArn: string;
            /** @description process-upload, sweep or record-upload-failure. */
            workflow: string;
            name: string;
            /** @enum {unknown} */
            status: "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";
            startedAt: string;
            stoppedAt?: string;
            durationMs?: number | null;
            /** @description The file the execution is about, read from its input (null for the sweep). */
            fileId: string | null;
            redriveCount: number;
            error?: string | null;
            /** @description Redacted. */
            cause?: string | null;
            /** @description The state the execution stopped in: where a redrive continues. */
            failedState?: string | null;
            /** @description Redrive answers only: the state the redrive continues from. */
            redrivenFrom?: string | null;
            steps?: components["schemas"]["ops-step"][];
        };
        /**
         * GET /ops/executions response (200)
         * @description Executions of the Standard workflows, newest first.
         */
        "ops-executions.response": {
            items: components["schemas"]["ops-execution"][];
            /** @description Opaque; pass it back as ?nextToken= with the same filters. Absent on the last page. */
            nextToken?: string;
        };
        /**
         * GET /ops/files/{fileId} response (200)
         * @description The file's record as stored and its links (both redacted), and every execution of a Standard workflow that touched it, step by step.
         */
        "ops-file.response": {
            /** @description The index item (records/file-item.json). */
            file: {
                fileId: string;
                status: string;
            };
            /** @description The share items, token hash, ciphertext and password hash redacted. */
            shares: {
                /** @constant */
                tokenHash?: "[redacted]";
                /** @constant */
                tokenCiphertext?: "[redacted]";
                /** @constant */
                passwordHash?: "[redacted]";
            }[];
            executions: (components["schemas"]["ops-execution"] & unknown)[];
        };
        /** POST /ops/reconcile request */
        "ops-reconcile.request": {
            /** @description Start process-upload for lost objects and mark stuck records FAILED (default: report only). */
            repair?: boolean;
            /** @description Overrides both age limits (LostObjectAfterSeconds, ProcessingTimeoutSeconds). */
            olderThanSeconds?: number;
        };
        /**
         * POST /ops/reconcile response (200)
         * @description What reconciliation found (and, with repair, acted on).
         */
        "ops-reconcile.response": {
            checkedAt: string;
            repair: boolean;
            lostAfterSeconds: number;
            stuckAfterSeconds: number;
            counts: {
                lostObjects: number;
                stuckRecords: number;
                missingObjects: number;
            };
            lostObjects: {
                fileId: string;
                key: string;
                versionId: string;
                size: number;
                lastModified: string;
            }[];
            stuckRecords: {
                fileId: string;
                key: string;
                updatedAt: string;
                /** @description What repair names as the failed execution: the process-upload execution that registered the file, or this reconciliation. */
                failedExecution: string;
            }[];
            missingObjects: {
                fileId: string;
                status: string;
                key: string;
                versionId: string;
            }[];
        };
    };
    responses: {
        /** @description The body or a query parameter is invalid or breaks a limit (codes: invalid_request, upload_too_large, name_too_long). */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["error"];
            };
        };
        /** @description No valid JWT. Answered by API Gateway's authorizer ({"message": "Unauthorized"}), or by the function when the token is not an ID token or carries no `sub` (code unauthorized). */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["gateway-error"] | components["schemas"]["error"];
            };
        };
        /** @description The caller may not do this (codes vary by route). */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["error"];
            };
        };
        /** @description No such resource for this caller: another owner's file, a deleted one and a malformed id all answer the same (code not_found). */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["error"];
            };
        };
        /** @description Unknown, expired, revoked, exhausted, deleted or not-clean link: one answer for all, nothing to tell them apart (code not_found). */
        DeadLink: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["error"];
            };
        };
    };
    parameters: {
        /** @description A file id; anything that is not one of the caller's files answers 404. */
        fileId: string;
        /** @description A share id of that file; anything else answers 404. */
        shareId: string;
        /** @description The share token from the link `/s/{token}`; anything else answers the one 404. */
        token: string;
        /** @description A file request id; anything that is not one of the caller's requests answers 404. */
        requestId: string;
        /** @description The request token from the link `/r/{token}`; anything else answers the one 404. */
        requestToken: string;
        /** @description Page size (default 50). */
        limit: number;
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    createUpload: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["create-upload.request"];
            };
        };
        responses: {
            /** @description The upload plan (told apart by `method`). */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["create-upload.response"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            /** @description The file would take the caller past their storage quota, `maxBytesStored` of `GET /me` (code quota_exceeded); the message says how much is used and what to do. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
            /** @description The caller has started `maxUploadsPerHour` uploads in the last hour (code upload_rate_exceeded); the message says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Usage and limits. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["me.response"];
                };
            };
            401: components["responses"]["Unauthorized"];
        };
    };
    putNotifications: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["notifications"];
            };
        };
        responses: {
            /** @description The settings now in force. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["notifications"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
        };
    };
    listFiles: {
        parameters: {
            query?: {
                /** @description Page size (default 50). */
                limit?: components["parameters"]["limit"];
                /** @description The `nextToken` of the previous page. */
                nextToken?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of files. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["file-list.response"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
        };
    };
    getFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A file id; anything that is not one of the caller's files answers 404. */
                fileId: components["parameters"]["fileId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["file"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
        };
    };
    deleteFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A file id; anything that is not one of the caller's files answers 404. */
                fileId: components["parameters"]["fileId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            /** @description The file is still PROCESSING (code file_processing); try again when it is done. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
        };
    };
    listFileDownloads: {
        parameters: {
            query?: {
                /** @description Page size (default 50). */
                limit?: components["parameters"]["limit"];
            };
            header?: never;
            path: {
                /** @description A file id; anything that is not one of the caller's files answers 404. */
                fileId: components["parameters"]["fileId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Downloads. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["downloads.response"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
        };
    };
    createShare: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A file id; anything that is not one of the caller's files answers 404. */
                fileId: components["parameters"]["fileId"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["create-share.request"];
            };
        };
        responses: {
            /** @description The link, with its token and URL. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["share"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            /** @description The file is not READY (code file_not_ready). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
        };
    };
    revokeShare: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A file id; anything that is not one of the caller's files answers 404. */
                fileId: components["parameters"]["fileId"];
                /** @description A share id of that file; anything else answers 404. */
                shareId: components["parameters"]["shareId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
        };
    };
    emailShare: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A file id; anything that is not one of the caller's files answers 404. */
                fileId: components["parameters"]["fileId"];
                /** @description A share id of that file; anything else answers 404. */
                shareId: components["parameters"]["shareId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["share-email.request"];
            };
        };
        responses: {
            /** @description Accepted; the messages are sent shortly. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["share-email.response"];
                };
            };
            /** @description The body is invalid, more than 10 addresses, or an address is not one (code invalid_address; the message names it). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            /** @description The link is revoked, expired or used up (code share_not_live), or the deployment sends no email (code mail_not_configured). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
            /** @description These recipients would take the caller past their hourly allowance (code email_rate_exceeded); `Retry-After` gives the seconds until the next hour's window. */
            429: {
                headers: {
                    /** @description Seconds until the caller may send again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
        };
    };
    listLinks: {
        parameters: {
            query?: {
                /** @description Page size (default 50). */
                limit?: components["parameters"]["limit"];
                /** @description The `nextToken` of the previous page. */
                nextToken?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of links. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["link-list.response"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
        };
    };
    createLink: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["create-link.request"];
            };
        };
        responses: {
            /** @description The link, with its token, URL and files. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["share"] & unknown;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            /** @description A file is not READY (code file_not_ready) or already has as many links as it may have (code share_limit_reached). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
        };
    };
    revokeLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id of one of the caller's links to several files; anything else answers 404. */
                shareId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
        };
    };
    describeShare: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The share token from the link `/s/{token}`; anything else answers the one 404. */
                token: components["parameters"]["token"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file behind the link, or, for a password link, only that it needs one. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["public-share.response"];
                };
            };
            404: components["responses"]["DeadLink"];
        };
    };
    unlockShare: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The share token from the link `/s/{token}`; anything else answers the one 404. */
                token: components["parameters"]["token"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["unlock.request"];
            };
        };
        responses: {
            /** @description The file's details, or the files of a link to several files. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["public-share-details"] | components["schemas"]["public-link-details"];
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description The password is wrong (code wrong_password). */
            403: components["responses"]["Forbidden"];
            404: components["responses"]["DeadLink"];
            /** @description Too many password attempts; the link is locked for a while (code too_many_attempts), whatever the password. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
        };
    };
    redeemDownload: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The share token from the link `/s/{token}`; anything else answers the one 404. */
                token: components["parameters"]["token"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["download.request"];
            };
        };
        responses: {
            /** @description The download URL; for a link to several files, one per file. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["download.response"] | components["schemas"]["link-download.response"];
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description A password is needed (code password_required) or it is wrong (code wrong_password). */
            403: components["responses"]["Forbidden"];
            404: components["responses"]["DeadLink"];
            /** @description Too many password attempts; the link is locked for a while (code too_many_attempts), whatever the password. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
        };
    };
    listRequests: {
        parameters: {
            query?: {
                /** @description Page size (default 50). */
                limit?: components["parameters"]["limit"];
                /** @description The `nextToken` of the previous page. */
                nextToken?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of requests. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["request-list.response"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
        };
    };
    createRequest: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["create-request.request"];
            };
        };
        responses: {
            /** @description The request, with its token and URL. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["request"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
        };
    };
    getRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A file request id; anything that is not one of the caller's requests answers 404. */
                requestId: components["parameters"]["requestId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["request"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
        };
    };
    closeRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A file request id; anything that is not one of the caller's requests answers 404. */
                requestId: components["parameters"]["requestId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Closed (also when it already was). */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
        };
    };
    describeRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The request token from the link `/r/{token}`; anything else answers the one 404. */
                token: components["parameters"]["requestToken"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request, or, for a password request, only that it needs one. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["public-request.response"];
                };
            };
            404: components["responses"]["DeadLink"];
        };
    };
    unlockRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The request token from the link `/r/{token}`; anything else answers the one 404. */
                token: components["parameters"]["requestToken"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["unlock.request"];
            };
        };
        responses: {
            /** @description The request's details. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["public-request-details"];
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description The password is wrong (code wrong_password). */
            403: components["responses"]["Forbidden"];
            404: components["responses"]["DeadLink"];
            /** @description Too many password attempts; the request is locked for a while (code too_many_attempts). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
        };
    };
    createRequestUpload: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The request token from the link `/r/{token}`; anything else answers the one 404. */
                token: components["parameters"]["requestToken"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["request-upload.request"];
            };
        };
        responses: {
            /** @description The upload plan (told apart by `method`). */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["create-upload.response"];
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description A password is needed (code password_required) or it is wrong (code wrong_password). */
            403: components["responses"]["Forbidden"];
            404: components["responses"]["DeadLink"];
            /** @description The owner's storage cannot take the file now (code quota_exceeded); nothing about their usage. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
            /** @description Too many password attempts (code too_many_attempts), or the owner's hourly upload limit is reached (code upload_rate_exceeded). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
        };
    };
    getRequestUpload: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The request token from the link `/r/{token}`; anything else answers the one 404. */
                token: components["parameters"]["requestToken"];
                /** @description A file uploaded through this request; any other file id answers 404. */
                fileId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file's status; nothing of the owner. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["request-upload-status"];
                };
            };
            404: components["responses"]["DeadLink"];
        };
    };
    listExecutions: {
        parameters: {
            query?: {
                status?: "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";
                /** @description One workflow (default all). */
                workflow?: "process-upload" | "sweep" | "record-upload-failure";
                /** @description Only executions started at or after this time (ISO 8601 with a zone). */
                since?: string;
                /** @description Only executions started at or before this time (ISO 8601 with a zone). */
                until?: string;
                /** @description Page size (default 50). */
                limit?: components["parameters"]["limit"];
                /** @description The `nextToken` of the previous page (same filters). */
                nextToken?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of executions. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ops-executions.response"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller is not in the operators group (code forbidden). */
            403: components["responses"]["Forbidden"];
        };
    };
    getFileForOperators: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Any file id (operators see every owner's files). */
                fileId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The record, its links and its executions. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ops-file.response"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller is not in the operators group (code forbidden). */
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    redriveExecution: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The execution's ARN (percent-encoded or not), of a Standard workflow. */
                executionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Redriven; the execution as it is now (RUNNING), with the state it continues from. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ops-execution"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller is not in the operators group (code forbidden). */
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description The execution cannot be redriven, for example it SUCCEEDED or is RUNNING (code not_redrivable). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
        };
    };
    reconcile: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ops-reconcile.request"];
            };
        };
        responses: {
            /** @description The findings. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ops-reconcile.response"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller is not in the operators group (code forbidden). */
            403: components["responses"]["Forbidden"];
        };
    };
}
