import type { NewOrg, NewUser } from '../../src/orgs/orgs.js';

export const PASSWORD: string;
export const CLIENT: NewOrg;
export const OTHER_CLIENT: NewOrg;
export const FIRM: NewOrg;
export const LAWYER: Omit<NewUser, 'orgId'>;
