/** The token of a link page's path, `/s/{token}` (a share) or `/r/{token}` (a file request), or null
 * when the path holds none. */
export function tokenFromPath(path: string, page: 's' | 'r' = 's'): string | null {
  const match = new RegExp(`^/${page}/([A-Za-z0-9_-]{43})/?$`).exec(path);
  return match?.[1] ?? null;
}
