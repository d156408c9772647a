import { LoopwatchError } from '../errors.js';

/** Debian's chromium; `--chromium` (or the browser tests) may name another. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

/**
 * Prints the review page to PDF through headless Chromium (playwright-core drives it; no
 * browser download). Requests are refused, not just unneeded: the page must print offline.
 */
export async function printPdf(html: string, chromium = DEFAULT_CHROMIUM): Promise<Buffer> {
  // loaded on use: playwright-core is a dev dependency, and only --pdf needs it
  let pw: typeof import('playwright-core');
  try {
    pw = await import('playwright-core');
  } catch (err) {
    throw new LoopwatchError('pdf_unavailable', '--pdf needs playwright-core (npm install playwright-core) and Chromium (apt-get install chromium)', { cause: err });
  }
  let browser;
  try {
    browser = await pw.chromium.launch({ executablePath: chromium, args: CHROMIUM_ARGS });
  } catch (err) {
    throw new LoopwatchError('pdf_unavailable', `could not start Chromium at ${chromium} (apt-get install chromium, or --chromium <path>)`, { cause: err });
  }
  try {
    const page = await browser.newPage();
    await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
  }
}
