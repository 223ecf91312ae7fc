/** The token of a share page's path, `/s/{token}`, or null when the path holds none. */
export function tokenFromPath(path: string): string | null {
  const match = /^\/s\/([A-Za-z0-9_-]{43})\/?$/.exec(path);
  return match?.[1] ?? null;
}
