//! Unpacking the zip of an import, within limits. A zip's headers may lie about sizes (a zip
//! bomb declares 1 KB and inflates to gigabytes), so every entry is read through a counter that
//! stops one byte past the limit, whatever its header says; the number of entries is checked
//! before anything is read.
//!
//! Entries are matched by their base name, so a zip of a folder (`roster/users.csv`) works too.
//! Folders, macOS's metadata (`__MACOSX/`, `._*`, `.DS_Store`) and OneRoster's `manifest.csv`
//! are ignored; any other file is refused, so that a misnamed `user.csv` is never silently not
//! imported.

use std::io::{Cursor, Read};

use zip::ZipArchive;

use super::files::{file_names, CsvFile};
use crate::error::FieldError;

/// How much a zip may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZipLimits {
    /// Entries of any kind (folders and ignored files included).
    pub entries: usize,
    /// Uncompressed bytes of one file.
    pub file_bytes: u64,
    /// Uncompressed bytes of all files together.
    pub total_bytes: u64,
}

impl ZipLimits {
    /// 64 entries, 32 MiB a file, 64 MiB in all: a district of 10,000 teachers is a few MiB.
    pub const DEFAULT: ZipLimits = ZipLimits { entries: 64, file_bytes: 32 << 20, total_bytes: 64 << 20 };
}

/// The raw bytes of each file of the zip, in the order of [`CsvFile::ALL`].
pub fn unpack(body: &[u8], limits: ZipLimits) -> Result<Vec<(CsvFile, Vec<u8>)>, Vec<FieldError>> {
    let fail = |field: &str, message: String| vec![FieldError::new(field, message)];
    let mut archive =
        ZipArchive::new(Cursor::new(body)).map_err(|e| fail("body", format!("is not a readable zip file: {e}")))?;
    if archive.len() > limits.entries {
        return Err(fail(
            "body",
            format!("the zip has {} entries; at most {} are read", archive.len(), limits.entries),
        ));
    }
    let mut files: Vec<(CsvFile, Vec<u8>)> = Vec::new();
    let mut errors = Vec::new();
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let mut entry = match archive.by_index(index) {
            Ok(entry) => entry,
            Err(e) => {
                errors.push(FieldError::new("body", format!("entry {} of the zip cannot be read: {e}", index + 1)));
                continue;
            }
        };
        let path = entry.name().map(|n| n.into_owned()).unwrap_or_else(|_| format!("entry {}", index + 1));
        if entry.is_dir() || is_ignored(&path) {
            continue;
        }
        let base = path.rsplit(['/', '\\']).next().unwrap_or(&path).to_string();
        let Some(file) = CsvFile::from_name(&base) else {
            errors.push(FieldError::new(
                path,
                format!("is not imported; a zip holds {} (and manifest.csv, ignored)", file_names()),
            ));
            continue;
        };
        if files.iter().any(|(f, _)| *f == file) {
            errors.push(FieldError::new(path, format!("{file} is in the zip twice")));
            continue;
        }
        if entry.encrypted() {
            errors.push(FieldError::new(path, "is encrypted; send it without a password".to_string()));
            continue;
        }
        let too_large = || format!("is larger than {} bytes uncompressed", limits.file_bytes);
        if entry.size() > limits.file_bytes {
            errors.push(FieldError::new(file.name(), too_large()));
            continue;
        }
        let mut bytes = Vec::new();
        if let Err(e) = (&mut entry).take(limits.file_bytes + 1).read_to_end(&mut bytes) {
            errors.push(FieldError::new(file.name(), format!("cannot be unpacked: {e}")));
            continue;
        }
        if bytes.len() as u64 > limits.file_bytes {
            errors.push(FieldError::new(file.name(), too_large()));
            continue;
        }
        total += bytes.len() as u64;
        if total > limits.total_bytes {
            return Err(fail("body", format!("the zip holds more than {} bytes uncompressed", limits.total_bytes)));
        }
        files.push((file, bytes));
    }
    if errors.is_empty() && files.is_empty() {
        errors.push(FieldError::new("body", format!("the zip holds none of {}", file_names())));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    files.sort_by_key(|(f, _)| *f);
    Ok(files)
}

/// What archivers add beside the files: macOS's resource forks and folder settings, and
/// OneRoster's manifest (which only lists the files, which we read anyway).
fn is_ignored(path: &str) -> bool {
    let base = path.rsplit(['/', '\\']).next().unwrap_or(path);
    path.starts_with("__MACOSX/")
        || base.starts_with("._")
        || base == ".DS_Store"
        || base.eq_ignore_ascii_case("Thumbs.db")
        || base.eq_ignore_ascii_case("manifest.csv")
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Write;

    use zip::write::SimpleFileOptions;
    use zip::{CompressionMethod, ZipWriter};

    use super::*;

    /// A deflated zip of `(name, bytes)`.
    pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        for (name, bytes) in entries {
            if name.ends_with('/') {
                writer.add_directory(*name, options).unwrap();
            } else {
                writer.start_file(*name, options).unwrap();
                writer.write_all(bytes).unwrap();
            }
        }
        writer.finish().unwrap().into_inner()
    }

    fn fields(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn files_are_found_by_base_name_and_the_rest_is_ignored_or_refused() {
        let zip = zip_of(&[
            ("roster/", b""),
            ("roster/users.csv", b"u"),
            ("roster/orgs.csv", b"o"),
            ("__MACOSX/roster/._users.csv", b"junk"),
            ("manifest.csv", b"propertyName,value"),
        ]);
        let files = unpack(&zip, ZipLimits::DEFAULT).unwrap();
        assert_eq!(files, vec![(CsvFile::Orgs, b"o".to_vec()), (CsvFile::Users, b"u".to_vec())]);

        let zip = zip_of(&[("users.csv", b"u"), ("classes.csv", b"c"), ("a/users.csv", b"u")]);
        assert_eq!(fields(unpack(&zip, ZipLimits::DEFAULT).unwrap_err()), vec!["classes.csv", "a/users.csv"]);
        assert_eq!(fields(unpack(&zip_of(&[("manifest.csv", b"")]), ZipLimits::DEFAULT).unwrap_err()), vec!["body"]);
        assert_eq!(fields(unpack(b"not a zip", ZipLimits::DEFAULT).unwrap_err()), vec!["body"]);
    }

    #[test]
    fn a_zip_bomb_stops_at_the_limits() {
        let big = vec![b'a'; 10_000]; // deflates to a few dozen bytes
        let limits = ZipLimits { entries: 3, file_bytes: 4_000, total_bytes: 6_000 };
        let zip = zip_of(&[("users.csv", &big)]);
        assert!(zip.len() < 1_000);
        let errors = unpack(&zip, limits).unwrap_err();
        assert_eq!(errors[0].field, "users.csv");
        assert!(errors[0].message.contains("4000 bytes"), "{}", errors[0].message);

        let part = vec![b'a'; 3_500];
        let zip = zip_of(&[("users.csv", &part), ("orgs.csv", &part)]);
        let errors = unpack(&zip, limits).unwrap_err();
        assert!(errors[0].message.contains("more than 6000 bytes"), "{}", errors[0].message);

        let zip = zip_of(&[("a/", b""), ("b/", b""), ("c/", b""), ("users.csv", b"")]);
        let errors = unpack(&zip, limits).unwrap_err();
        assert!(errors[0].message.contains("4 entries"), "{}", errors[0].message);
    }

    #[test]
    fn an_entry_whose_header_lies_about_its_size_is_still_cut() {
        // Patch the uncompressed size (4 bytes at offset 22 of the local header, and at 24 of the
        // central directory entry) down to 10: the reader must count what it inflates.
        let big = vec![b'a'; 10_000];
        let mut zip = zip_of(&[("users.csv", &big)]);
        let central = zip.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        zip[22..26].copy_from_slice(&10u32.to_le_bytes());
        zip[central + 24..central + 28].copy_from_slice(&10u32.to_le_bytes());
        let limits = ZipLimits { entries: 3, file_bytes: 4_000, total_bytes: 6_000 };
        assert!(unpack(&zip, limits).is_err());
    }
}
