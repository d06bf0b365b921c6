// The standard cast's records as plain data, shared by the tests (world.ts, which types them)
// and by the benches (bench/world.mjs, which run against dist/ and cannot import TypeScript).
export const PASSWORD = 'correct horse battery staple';

export const CLIENT = {
  kind: 'creditor',
  name: '北京某某科技有限公司',
  creditCode: '91110108MA01ABCD2H',
  address: '北京市海淀区某某路1号某某大厦8层',
  phone: '400-800-1234',
};
export const OTHER_CLIENT = {
  kind: 'creditor',
  name: '深圳某某信息技术有限公司',
  creditCode: '9144030071526726XG',
  address: '深圳市南山区某某路2号',
  phone: '400-800-5678',
};
export const FIRM = {
  kind: 'law-firm',
  name: '北京某某律师事务所',
  licenseNo: '31110000MD01234564',
  letterPrefix: '京某律函字',
  address: '北京市朝阳区某某路88号某某中心15层',
  phone: '010-65001234',
};
export const LAWYER = {
  login: 'lisi',
  name: '李四',
  role: 'lawyer',
  licenseNo: '11101201910123456',
  phone: '010-65001234',
};
