import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import { launchChromium, openRecorded } from '../helpers/browser.js';
it('shot', async () => {
  const b = await launchChromium();
  const o = await openRecorded(b, { html: readFileSync('/tmp/h17/review.html', 'utf8') });
  for (const id of ['agreement', 'drift', 'controls', 'disagreements', 'lines', 'versions', 'escalations']) {
    await o.page.locator(`#${id}`).screenshot({ path: `/tmp/h17/${id}.png` });
  }
  await o.page.emulateMedia({ media: 'print' });
  const pdf = await o.page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  (await import('node:fs')).writeFileSync('/tmp/h17/review.pdf', pdf);
  console.log(JSON.stringify({ req: o.requests, err: o.consoleErrors }));
  await b.close();
}, 200000);
