/** The stack's discovery document, `/config.json`: one build serves the local stack and AWS. */
export interface AppConfig {
  apiUrl: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  /** Set by the local stack (moto); absent in AWS. */
  cognitoEndpoint?: string;
  maxUploadBytes: number;
  /** Uploads up to this size are one presigned POST; larger ones are multipart. */
  singlePostMaxBytes?: number;
}

export async function loadConfig(fetchImpl: typeof fetch = fetch): Promise<AppConfig> {
  const response = await fetchImpl('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json answered ${response.status}`);
  return (await response.json()) as AppConfig;
}
