/** Policy reasons and messages come as "中文 / English": the workspace is Chinese, so it shows the first half. */
export const chineseOnly = (s: string): string => s.split(' / ')[0]!;
