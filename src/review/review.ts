import { gatherReview, type ReviewDeps, type ReviewRequest } from './gather.js';
import { renderReview } from './render.js';

export interface RenderedReview {
  html: string;
  /** Wall time: gathering and rendering. */
  ms: number;
}

/** Gathers and renders a period's review (docs/review.md). */
export async function buildReview(deps: ReviewDeps, req: ReviewRequest): Promise<RenderedReview> {
  const t = performance.now();
  const data = await gatherReview(deps, req);
  const html = await renderReview(data);
  return { html, ms: Math.round(performance.now() - t) };
}
