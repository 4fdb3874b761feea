// Who is signed in, as /api/v1/me answered: the pages read it to show what the user may do.
export const session = { me: null };

export function me() {
  return session.me ? session.me.gateway : null;
}

/** Whether the signed-in user has the role (an admin has every role); false when signed out. */
export function hasRole(role) {
  const user = me();
  return user !== null && (user.roles.includes(role) || user.roles.includes('admin'));
}
