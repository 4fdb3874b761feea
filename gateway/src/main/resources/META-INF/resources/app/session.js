// Who is signed in, as /api/v1/me answered: the pages read it to show what the user may do.
export const session = { me: null };

export function me() {
  return session.me ? session.me.gateway : null;
}
