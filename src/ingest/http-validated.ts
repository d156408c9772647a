let validated = 0;

/**
 * Events of POST /v1/events bodies validated in this thread (each thread has its own count):
 * with ingest workers, the server's main thread validates none of them, which a test checks
 * by count rather than by how busy the thread was.
 */
export const httpValidatedHere = {
  add(events: number): void {
    validated += events;
  },
  get count(): number {
    return validated;
  },
};
