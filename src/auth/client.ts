/**
 * The Authorization header our clients send to a server that asks for tokens. The token comes
 * from LOOPWATCH_TOKEN only: a flag would show it in `ps` and in shell history.
 */
export function bearerHeaders(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const token = env.LOOPWATCH_TOKEN?.trim();
  return token ? { authorization: `Bearer ${token}` } : {};
}
