/** The package.json version, inlined by esbuild.mjs. */
declare const PINPACK_VERSION: string;

/** Script templates and documents are bundled as text by esbuild.mjs (`loader: text`). */
declare module '*.ps1' {
  const text: string;
  export default text;
}
declare module '*.bat' {
  const text: string;
  export default text;
}
declare module '*.md' {
  const text: string;
  export default text;
}
declare module '*.xml' {
  const text: string;
  export default text;
}
