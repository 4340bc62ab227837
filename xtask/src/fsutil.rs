//! Writing generated files only when their contents change, and checking them without writing.

use std::fs;
use std::io;
use std::path::Path;

/// Whether `gen` writes or only checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write files whose contents differ.
    Write,
    /// Report files whose contents differ; write nothing.
    Check,
}

/// What happened to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Already up to date; not touched.
    Unchanged,
    /// Written (Write mode) or would be written (Check mode).
    Updated,
}

/// Makes `path` hold `contents`: writes only when different (so a no-op regeneration touches no
/// file and no timestamp), creating parent directories as needed.
pub fn ensure_file_contents(path: &Path, contents: &str, mode: Mode) -> io::Result<Change> {
    if let Ok(old) = fs::read_to_string(path)
        && old == contents
    {
        return Ok(Change::Unchanged);
    }
    if mode == Mode::Write {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(path, contents)?;
    }
    Ok(Change::Updated)
}
