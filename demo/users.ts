import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { UserLoader } from 'routing-controllers-login';
import { Service } from 'typedi';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, length: number) => Promise<Buffer>;

export interface DemoUser {
  email: string;
  name: string;
  scopes: string[];
}

interface StoredUser extends DemoUser {
  passwordHash: string;
}

/** `salt:hash`, both base64; scrypt with Node's defaults (N=16384, r=8, p=1). */
async function hashPassword(password: string, salt = randomBytes(16)): Promise<string> {
  return `${salt.toString('base64')}:${(await scryptAsync(password, salt, 32)).toString('base64')}`;
}

async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [salt = '', hash = ''] = stored.split(':');
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length);
  return timingSafeEqual(actual, expected);
}

/** An in-memory user store; the loader the demo's LoginManager finds by its @UserLoader(). */
@Service()
export class UserStore {
  private readonly users = new Map<string, StoredUser>();
  private readonly ready: Promise<void>;
  /** Hashed once, so an unknown email costs as much as a wrong password (no timing oracle). */
  private readonly dummyHash = hashPassword(randomBytes(16).toString('hex'));

  constructor() {
    this.ready = this.add({ email: 'johndoe@e.mail', name: 'John Doe', scopes: ['items:read'] }, 'hunter2');
  }

  async add(user: DemoUser, password: string): Promise<void> {
    this.users.set(user.email, { ...user, passwordHash: await hashPassword(password) });
  }

  /** The user with this email and password, without its hash; `undefined` otherwise. */
  async authenticate(email: string, password: string): Promise<DemoUser | undefined> {
    await this.ready;
    const stored = this.users.get(email);
    const matches = await passwordMatches(password, stored?.passwordHash ?? (await this.dummyHash));
    return stored && matches ? this.find(email) : undefined;
  }

  @UserLoader()
  async find(email: string): Promise<DemoUser | undefined> {
    await this.ready;
    const stored = this.users.get(email);
    if (!stored) return undefined;
    const { passwordHash: _hidden, ...user } = stored;
    return user;
  }
}
