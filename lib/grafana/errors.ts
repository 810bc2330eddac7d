// Typed errors of the Grafana HTTP API client: each names the call that failed and says what
// an operator should do about it. The service-account token never appears in any of them.

export type GrafanaErrorCode =
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'version-mismatch'
  | 'name-exists'
  | 'plugin-dashboard'
  | 'precondition-failed'
  | 'server-error'
  | 'timeout'
  | 'unreachable'
  | 'invalid-response';

export class GrafanaError extends Error {
  override readonly name = 'GrafanaError';
  constructor(
    readonly code: GrafanaErrorCode,
    message: string,
    /** HTTP status when Grafana answered, undefined when it did not. */
    readonly status: number | undefined,
    /** "POST /api/dashboards/db": what was attempted. */
    readonly call: string,
  ) {
    super(message);
  }

  /** Grafana is down, slow or failing: worth trying again later; the others need a person. */
  get transient(): boolean {
    return this.code === 'server-error' || this.code === 'timeout' || this.code === 'unreachable';
  }
}

const ADVICE: Record<GrafanaErrorCode, string> = {
  'bad-request': 'Grafana rejected the request body; check the dashboard or data source definition',
  unauthorized: 'Grafana rejected the service-account token: check the token in the oilrisk-grafana config node (it starts with glsa_), that it has not expired or been revoked, and the organisation id',
  forbidden: 'the service account lacks a permission: give it the Editor role for dashboards, folders and annotations, and Admin to provision data sources',
  'not-found': 'Grafana does not know this object: check the uid, or the Grafana URL (a sub-path such as /grafana must be part of it)',
  conflict: 'an object with the same name but another uid already exists in Grafana: rename or delete it, or reuse its uid',
  'version-mismatch': 'the dashboard was changed in Grafana since it was provisioned: push again with overwrite, or save the changes into the dashboard sources',
  'name-exists': 'a dashboard with the same title already exists in that folder under another uid: delete or rename it',
  'plugin-dashboard': 'the dashboard belongs to a plugin and cannot be overwritten: give it another uid',
  'precondition-failed': 'Grafana refused the change because of its current state',
  'server-error': 'Grafana failed internally: look at the Grafana server log; the call is retried a few times',
  timeout: 'Grafana did not answer in time: check that it is up and reachable, or raise the timeout',
  unreachable: 'Grafana could not be reached: check the URL, that Grafana is running and that the network allows the connection',
  'invalid-response': 'Grafana answered with something that is not the documented JSON: check that the URL points at Grafana itself, not at a proxy login page',
};

export function adviceFor(code: GrafanaErrorCode): string {
  return ADVICE[code];
}

/** Grafana's own words are kept, but anything that looks like the token is blanked out. */
export function redact(text: string, secret: string | undefined): string {
  let clean = text.replace(/glsa_[A-Za-z0-9_]+/g, 'glsa_***');
  if (secret) clean = clean.split(secret).join('***');
  return clean;
}

export function errorForStatus(status: number, body: unknown, call: string, secret?: string): GrafanaError {
  const record = (typeof body === 'object' && body !== null ? body : {}) as { message?: unknown; status?: unknown };
  const said = typeof record.message === 'string' ? record.message : typeof body === 'string' ? body.slice(0, 200) : '';
  let code: GrafanaErrorCode;
  if (status === 400 || status === 422) code = 'bad-request';
  else if (status === 401) code = 'unauthorized';
  else if (status === 403) code = 'forbidden';
  else if (status === 404) code = 'not-found';
  else if (status === 409) code = 'conflict';
  else if (status === 412) {
    const kind = record.status;
    code = kind === 'version-mismatch' || kind === 'name-exists' || kind === 'plugin-dashboard' ? kind : 'precondition-failed';
  } else if (status >= 500) code = 'server-error';
  else code = 'invalid-response';
  const detail = said ? ` (Grafana said: "${redact(said, secret)}")` : '';
  return new GrafanaError(code, `oilrisk/grafana: ${call} failed with ${status}${detail}: ${ADVICE[code]}`, status, call);
}

export function errorForFailure(cause: unknown, call: string, timeoutMs: number, secret?: string): GrafanaError {
  const err = cause as { name?: string; message?: string; cause?: { code?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') {
    return new GrafanaError('timeout', `oilrisk/grafana: ${call} got no answer within ${timeoutMs} ms: ${ADVICE.timeout}`, undefined, call);
  }
  const why = redact(err?.cause?.code ?? err?.message ?? String(cause), secret);
  return new GrafanaError('unreachable', `oilrisk/grafana: ${call} could not connect (${why}): ${ADVICE.unreachable}`, undefined, call);
}
