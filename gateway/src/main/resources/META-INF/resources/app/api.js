// The public REST API, as any client calls it: JSON in and out, the bearer token when signed in,
// and refusals as problem+json turned into ApiError (status, detail, field errors, row rejections).
import { accessToken } from './auth.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || String(status));
    this.status = status;
    this.problem = problem;
  }
}

export async function call(method, path, body, contentType = 'application/json') {
  const headers = { Accept: 'application/json' };
  const token = await accessToken();
  if (token) {
    headers.Authorization = 'Bearer ' + token;
  }
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = contentType;
    payload = contentType === 'application/json' ? JSON.stringify(body) : body;
  }
  const reply = await fetch(path, { method, headers, body: payload });
  const text = await reply.text();
  const data = text ? JSON.parse(text) : null;
  if (!reply.ok) {
    throw new ApiError(reply.status, data || {});
  }
  return data;
}

/**
 * Downloads an answer as a file: fetched with the bearer token (a plain link would go without it, and
 * the API answers a hidden dataset with 404), then saved from a Blob through an object URL. The file
 * name is the answer's Content-Disposition filename, else {@code fallbackName}.
 */
export async function download(path, fallbackName) {
  const headers = {};
  const token = await accessToken();
  if (token) {
    headers.Authorization = 'Bearer ' + token;
  }
  const reply = await fetch(path, { headers });
  if (!reply.ok) {
    const text = await reply.text();
    let problem = {};
    try {
      problem = text ? JSON.parse(text) : {};
    } catch (e) {
      problem = { detail: text };
    }
    throw new ApiError(reply.status, problem);
  }
  const blob = await reply.blob();
  const disposition = reply.headers.get('Content-Disposition') || '';
  const named = disposition.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i);
  const name = named ? decodeURIComponent(named[1]) : fallbackName;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return { name, bytes: blob.size };
}

export const get = (path) => call('GET', path);
export const post = (path, body, type) => call('POST', path, body, type);
export const put = (path, body) => call('PUT', path, body);

/** A query string from an object, leaving out empty values. */
export function query(parameters) {
  const search = new URLSearchParams();
  Object.entries(parameters).forEach(([name, value]) => {
    if (Array.isArray(value)) {
      value.filter((v) => v !== '' && v != null).forEach((v) => search.append(name, v));
    } else if (value !== '' && value != null) {
      search.append(name, value);
    }
  });
  const text = search.toString();
  return text ? '?' + text : '';
}
