/** One problem with one field of one event. `field` is a dotted path such as `gate.checks.evidence`. */
export interface FieldIssue {
  field: string;
  message: string;
}
