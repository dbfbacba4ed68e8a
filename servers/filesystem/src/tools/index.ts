import type { AnyToolDefinition } from '@bulwark/runtime';
import type { FsDeps } from '../deps.js';
import { appendFile } from './append_file.js';
import { copyFile } from './copy_file.js';
import { createDirectory } from './create_directory.js';
import { deletePath } from './delete_path.js';
import { directoryTree } from './directory_tree.js';
import { editFile } from './edit_file.js';
import { getFileInfo } from './get_file_info.js';
import { listAllowedDirectories } from './list_allowed_directories.js';
import { listDirectory } from './list_directory.js';
import { moveFile } from './move_file.js';
import { readMediaFile } from './read_media_file.js';
import { readMultipleFiles } from './read_multiple_files.js';
import { readTextFile } from './read_text_file.js';
import { searchContent } from './search_content.js';
import { searchFiles } from './search_files.js';
import { writeFile } from './write_file.js';

/** Tools that change nothing: registered always. */
export const READ_TOOLS: readonly AnyToolDefinition<FsDeps>[] = [
  readTextFile,
  readMediaFile,
  readMultipleFiles,
  getFileInfo,
  listDirectory,
  directoryTree,
  searchFiles,
  searchContent,
  listAllowedDirectories,
];

/** Tools that write: registered only when the server is not `--read-only`. */
export const WRITE_TOOLS: readonly AnyToolDefinition<FsDeps>[] = [
  writeFile,
  editFile,
  appendFile,
  createDirectory,
  copyFile,
  moveFile,
  deletePath,
];
