/** File names for projects in the host's projects folder (browser host: no native dialogs). */

/** Characters no file name on Windows, macOS or Linux may hold. */
export const FORBIDDEN_NAME_CHARACTERS = /[\\/:*?"<>|\u0000-\u001f]/;

/** Joins the projects directory and a file name with the separator the directory already uses. */
export function projectPathFor(directory: string, name: string): string {
  const separator = directory.includes('\\') && !directory.includes('/') ? '\\' : '/';
  const trimmed = directory.endsWith(separator) ? directory.slice(0, -1) : directory;
  return `${trimmed}${separator}${name}.gpkg`;
}
