import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, DEFAULT_CHROMIUM } from '../../src/review/pdf.js';

/** Debian's chromium, driven by playwright-core (no browser download); CHROMIUM overrides the path. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? DEFAULT_CHROMIUM, args: CHROMIUM_ARGS });
}

export interface OpenedPage {
  page: Page;
  /** Every request the page made other than the page itself: a self-contained report makes none. */
  requests: string[];
  consoleErrors: string[];
}

/** Opens a URL (or HTML text) with every request recorded and refused, console errors collected. */
export async function openRecorded(browser: Browser, target: { url: string } | { html: string }): Promise<OpenedPage> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  const pageUrl = 'url' in target ? target.url : null;
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url === pageUrl) return route.continue();
    requests.push(url);
    return route.abort();
  });
  // building a review takes seconds to minutes on a busy machine: the server answers when it is done
  if ('url' in target) await page.goto(target.url, { waitUntil: 'load', timeout: 300_000 });
  else await page.setContent(target.html, { waitUntil: 'load', timeout: 120_000 });
  return { page, requests, consoleErrors };
}

/** Pages of a PDF as pdftoppm renders them, each with its share of non-white pixels. */
export function pdfPages(pdf: Buffer, dir: string): number[] {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'review.pdf');
  writeFileSync(file, pdf);
  const run = spawnSync('pdftoppm', ['-r', '30', '-gray', file, path.join(dir, 'page')], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`pdftoppm failed: ${run.error?.message ?? run.stderr}`);
  return readdirSync(dir)
    .filter((f) => f.startsWith('page') && f.endsWith('.pgm'))
    .sort()
    .map((f) => inkShare(readFileSync(path.join(dir, f))));
}

/** A binary PGM (P5): the share of pixels darker than near-white. */
function inkShare(pgm: Buffer): number {
  const header = pgm.subarray(0, 64).toString('latin1').split(/\s+/);
  const [, w, h] = header.map(Number);
  const pixels = pgm.subarray(pgm.length - w * h);
  let ink = 0;
  for (const p of pixels) if (p < 240) ink++;
  return ink / pixels.length;
}

