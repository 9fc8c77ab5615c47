/** The address to bind for an endpoint others connect to: tcp binds on all interfaces of that port. */
export function bindAddress(endpoint: string, bindHost = "0.0.0.0"): string {
  const match = /^tcp:\/\/(.+):(\d+)$/.exec(endpoint);
  return match ? `tcp://${bindHost}:${match[2]}` : endpoint;
}
