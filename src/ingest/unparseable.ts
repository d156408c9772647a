/** A record that could not even be parsed (a bad JSON line, a bad CSV cell); it is rejected with this message. */
export class UnparseableRecord {
  constructor(
    readonly message: string,
    readonly raw?: string,
  ) {}
}
