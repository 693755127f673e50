// Fetches from this node's admin API and turns every failure into words an operator can act on.

const REASONS = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error',
  502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/**
 * GET a JSON document of the admin API. Resolves, never rejects, to
 * {ok: true, status, data} or {ok: false, status, message} (status 0: no answer at all).
 */
export async function getJson(path, timeoutMs = 10000) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response;
  try {
    response = await fetch(path, { headers: { Accept: 'application/json' }, signal: controller.signal, cache: 'no-store' });
  } catch (e) {
    clearTimeout(timer);
    const why = e && e.name === 'AbortError' ? `no answer within ${timeoutMs / 1000} s` : 'the connection failed';
    return { ok: false, status: 0, message: `this node did not answer (${why}): is it still running and reachable from this browser?` };
  }
  let body = null;
  let text = '';
  try {
    text = await response.text();
    body = text ? JSON.parse(text) : null;
  } catch (e) {
    body = null;
  } finally {
    clearTimeout(timer);
  }
  if (response.ok) {
    if (body === null) {
      return { ok: false, status: response.status, message: 'this node answered with something that is not JSON' };
    }
    return { ok: true, status: response.status, data: body };
  }
  const reason = REASONS[response.status] || response.statusText || 'error';
  let detail = body && typeof body.detail === 'string' ? body.detail : '';
  if (!detail && response.status === 401) {
    detail = 'the operator credential is missing or wrong (reload the page to enter it)';
  }
  return {
    ok: false,
    status: response.status,
    message: `HTTP ${response.status} ${reason}${detail ? ': ' + detail : ''}`,
  };
}

/**
 * Runs task() now and again `periodMs` after each run finishes (never two at once). A run that
 * took long (a large cluster) spaces the next ones out: at least five times its own duration.
 */
export function every(periodMs, task) {
  const run = async () => {
    const started = performance.now();
    try {
      await task();
    } catch (e) {
      console.warn('refresh failed', e);
    }
    setTimeout(run, Math.max(periodMs, 5 * (performance.now() - started)));
  };
  run();
}
