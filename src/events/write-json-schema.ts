// `npm run schema`: writes the published JSON Schema of the event contract. A unit test fails
// when the committed file differs from what this produces, so run it after changing schemas.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderEventJsonSchema } from './json-schema.js';

const EVENT_SCHEMA_FILE = fileURLToPath(new URL('../../schema/events.schema.json', import.meta.url));

mkdirSync(dirname(EVENT_SCHEMA_FILE), { recursive: true });
writeFileSync(EVENT_SCHEMA_FILE, renderEventJsonSchema());
console.log(`wrote ${EVENT_SCHEMA_FILE}`);
