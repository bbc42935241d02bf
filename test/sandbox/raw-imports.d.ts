// Vite's `?raw` suffix imports a file's text as the default export.
declare module "*?raw" {
  const text: string;
  export default text;
}
