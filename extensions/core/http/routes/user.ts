/** `/api/v1/user/*`: first-run setup, sign-in, token refresh, password change and recovery. */
import { Type } from '@sinclair/typebox';
import { ApiError, badRequest, unauthorized } from '../api/envelope.js';
import { defineRoutes } from '../api/routes.js';
import { HashingBusyError, hashPassword, passwordProblem, verifyPassword } from '../auth/passwords.js';
import type { AuthStore } from '../auth/store.js';
import type { TokenService } from '../auth/tokens.js';

const Credentials = Type.Object({ user: Type.String({ minLength: 1, maxLength: 255 }), password: Type.String({ minLength: 1, maxLength: 1024 }) });
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** Hashing is one at a time; a caller that finds it busy is told to retry rather than queued. */
async function hashing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HashingBusyError) throw new ApiError(429, 'blocking_work_capacity_exceeded', error.message);
    throw error;
  }
}

function checkNewPassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw badRequest(problem);
}

export function userRoutes(store: AuthStore, tokens: TokenService, recoveryKey: () => string) {
  return defineRoutes([
    {
      method: 'GET',
      url: '/api/v1/user/init',
      auth: 'none',
      summary: 'Whether the first account has been created',
      tags: ['user'],
      handler: async () => ({ initialized: (await store.accountCount()) > 0 }),
    },
    {
      method: 'POST',
      url: '/api/v1/user/init',
      auth: 'none',
      summary: 'Create the first (owner) account',
      tags: ['user'],
      body: Credentials,
      handler: async ({ body }) => {
        if ((await store.accountCount()) > 0) throw new ApiError(200, 1, 'System already initialized');
        if (!EMAIL.test(body.user)) throw badRequest('`user` must be an e-mail address.');
        checkNewPassword(body.password);
        const hash = await hashing(() => hashPassword(body.password));
        // Two first-run requests racing: the second finds an account and is refused.
        if ((await store.accountCount()) > 0) throw new ApiError(409, 'registration_closed', 'Another account was created first.');
        await store.createAccount(body.user, hash);
        return {};
      },
    },
    {
      method: 'POST',
      url: '/api/v1/user/auth',
      auth: 'none',
      summary: 'Sign in; answers a token',
      tags: ['user'],
      body: Credentials,
      handler: async ({ body }) => {
        const account = await store.findAccount(body.user);
        // Hash even for an unknown user, so timing does not reveal which accounts exist.
        const valid = await hashing(() => verifyPassword(body.password, account?.password ?? 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='));
        if (!account || !valid) throw new ApiError(401, 1, 'Invalid username or password');
        return { token: await tokens.issue({ sub: account.uuid, user: account.user }) };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/user/check-token',
      auth: 'user',
      summary: 'Check the token; answers a fresh one',
      tags: ['user'],
      handler: async ({ principal }) => {
        if (principal?.kind !== 'user') throw unauthorized();
        return { token: await tokens.issue({ sub: principal.uuid, user: principal.user }) };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/user/info',
      auth: 'user',
      summary: 'The signed-in account',
      tags: ['user'],
      handler: ({ principal }) => {
        if (principal?.kind !== 'user') throw unauthorized();
        return { account_uuid: principal.uuid, user: principal.user, account_type: 'local', has_password: true };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/user/account-info',
      auth: 'none',
      summary: 'What the sign-in page needs to know',
      tags: ['user'],
      handler: async () => ({ initialized: (await store.accountCount()) > 0, password_login_enabled: true, recovery_enabled: recoveryKey() !== '' }),
    },
    {
      method: 'POST',
      url: '/api/v1/user/change-password',
      auth: 'user',
      summary: 'Change the signed-in account’s password',
      tags: ['user'],
      body: Type.Object({ current_password: Type.String(), new_password: Type.String({ maxLength: 1024 }) }),
      handler: async ({ body, principal }) => {
        if (principal?.kind !== 'user') throw unauthorized();
        const account = await store.accountByUuid(principal.uuid);
        if (!account || !(await hashing(() => verifyPassword(body.current_password, account.password)))) throw new ApiError(400, 1, 'The current password is wrong.');
        checkNewPassword(body.new_password);
        await store.setPassword(account.uuid, await hashing(() => hashPassword(body.new_password)));
        return {};
      },
    },
    {
      method: 'POST',
      url: '/api/v1/user/reset-password',
      auth: 'none',
      summary: 'Set a new password with the recovery key from the server’s configuration',
      tags: ['user'],
      body: Type.Object({ user: Type.String(), recovery_key: Type.String(), new_password: Type.String({ maxLength: 1024 }) }),
      handler: async ({ body }) => {
        const expected = recoveryKey();
        if (!expected) throw new ApiError(403, 'recovery_disabled', 'Password recovery is off: set recoveryKey in the HTTP server’s settings.');
        const account = await store.findAccount(body.user);
        if (!account || body.recovery_key !== expected) throw new ApiError(400, 1, 'Wrong account or recovery key.');
        checkNewPassword(body.new_password);
        await store.setPassword(account.uuid, await hashing(() => hashPassword(body.new_password)));
        return {};
      },
    },
  ]);
}
