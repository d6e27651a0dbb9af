// Errors about a request as a whole, raised before any resolver runs: each carries a stable code
// and the HTTP status (and headers) it answers with. Yoga keeps `http` out of the response body.
import { GraphQLError } from 'graphql';

export function requestError(
  code: string,
  status: number,
  message: string,
  { extensions = {}, headers }: { extensions?: Record<string, unknown>; headers?: Record<string, string> } = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions, http: { status, ...(headers && { headers }) } } });
}
