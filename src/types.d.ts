declare module 'png-js' {
  const PNG: new (data: Buffer) => unknown;
  export default PNG;
}
