// Finds the route of a method and path. Literal segments win over parameters, earlier ones
// first: `/services/anonymous/{contact_key}` is never read as `/services/{service_id}/states`.
import type { AnyRoute, Method } from './route.js';

interface Compiled {
  route: AnyRoute;
  /** A literal segment, or the name of a parameter. */
  segments: ({ literal: string } | { param: string })[];
  /** Higher for literals in earlier positions. */
  specificity: number;
}

export type Match = { route: AnyRoute; params: Record<string, string> } | { status: 404 } | { status: 405; allow: Method[] };

function compile(route: AnyRoute): Compiled {
  const parts = route.path.split('/').filter(Boolean);
  const segments = parts.map((part) => (part.startsWith('{') ? { param: part.slice(1, -1) } : { literal: part }));
  const specificity = segments.reduce((sum, segment, i) => sum + ('literal' in segment ? 2 ** (parts.length - i) : 0), 0);
  return { route, segments, specificity };
}

export class Router {
  private readonly bySize = new Map<number, Compiled[]>();

  constructor(routes: readonly AnyRoute[]) {
    for (const route of routes) {
      const compiled = compile(route);
      const size = compiled.segments.length;
      if (!this.bySize.has(size)) this.bySize.set(size, []);
      this.bySize.get(size)!.push(compiled);
    }
    for (const list of this.bySize.values()) list.sort((a, b) => b.specificity - a.specificity);
  }

  /** `path` is relative to the base path, undecoded. */
  match(method: string, path: string): Match {
    const parts = path.split('/').filter(Boolean);
    let allow: Method[] | undefined;
    for (const candidate of this.bySize.get(parts.length) ?? []) {
      const params = matchSegments(candidate, parts);
      if (!params) continue;
      if (candidate.route.method === method) return { route: candidate.route, params };
      (allow ??= []).push(candidate.route.method);
    }
    return allow ? { status: 405, allow: [...new Set(allow)] } : { status: 404 };
  }
}

function matchSegments(candidate: Compiled, parts: string[]): Record<string, string> | undefined {
  // Literals first: most candidates fail on one, before any parameter is decoded.
  for (const [i, segment] of candidate.segments.entries()) if ('literal' in segment && segment.literal !== parts[i]) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of candidate.segments.entries()) {
    if ('literal' in segment) continue;
    try {
      params[segment.param] = decodeURIComponent(parts[i]);
    } catch {
      return undefined;
    }
  }
  return params;
}
