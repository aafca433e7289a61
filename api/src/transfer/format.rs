//! The export file: gzip'd JSON lines (docs/MOVING.md, "The file"). A header line, then per
//! table a table line and one line per row, then a trailer with the row counts and the SHA-256
//! of every line before it. Written and read a line at a time.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use anyhow::Context;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::rules::{ColumnType, Engine};

/// One line of the file, tagged by its kind: `{"header": {...}}`, `{"table": {...}}`,
/// `{"row": {...}}`, `{"end": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Line {
    Header(Header),
    Table(TableHeader),
    /// Column name → value, as [`super::rules::to_file`] writes it.
    Row(serde_json::Map<String, serde_json::Value>),
    End(Trailer),
}

/// The first line: what wrote the file, from what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// [`super::rules::FORMAT_VERSION`].
    pub format: u32,
    /// `jiaoyan` and the version of the binary that wrote it.
    pub written_by: String,
    pub engine: Engine,
    /// RFC 3339, UTC.
    pub exported_at: String,
    /// The source's applied migrations, in order.
    pub migrations: Vec<String>,
    /// The newest change version the source handed out (the change feed's `newest`; on
    /// PostgreSQL its sequence, which may be above the log's highest version).
    pub change_version: i64,
}

/// Opens a table's rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableHeader {
    pub name: String,
    pub columns: Vec<ColumnSpec>,
    pub primary_key: Vec<String>,
    /// How many row lines follow.
    pub rows: u64,
    /// The last id the table's own id sequence handed out (SQLite `AUTOINCREMENT`, a PostgreSQL
    /// serial), which may be above its highest id: ids of deleted rows are not handed out again.
    pub sequence: Option<i64>,
}

/// A column and the type its values have in the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnSpec {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: ColumnType,
}

/// The last line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trailer {
    /// Rows per table, in file order.
    pub tables: Vec<(String, u64)>,
    /// Hex SHA-256 of every line before this one, each with its `\n`.
    pub sha256: String,
}

/// Writes a file line by line.
pub struct Writer {
    out: GzEncoder<BufWriter<File>>,
    digest: Sha256,
    line: Vec<u8>,
}

impl Writer {
    pub fn create(path: &Path) -> anyhow::Result<Writer> {
        let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        Ok(Writer {
            out: GzEncoder::new(BufWriter::new(file), Compression::fast()),
            digest: Sha256::new(),
            line: Vec::new(),
        })
    }

    pub fn write(&mut self, line: &Line) -> anyhow::Result<()> {
        self.line.clear();
        serde_json::to_writer(&mut self.line, line)?;
        self.line.push(b'\n');
        self.digest.update(&self.line);
        self.out.write_all(&self.line)?;
        Ok(())
    }

    /// Writes the trailer (with the checksum) and flushes the file to disk.
    pub fn finish(mut self, tables: Vec<(String, u64)>) -> anyhow::Result<()> {
        let sha256 = hex::encode(self.digest.clone().finalize());
        self.write(&Line::End(Trailer { tables, sha256 }))?;
        let file = self.out.finish()?.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok(())
    }
}

/// Reads a file line by line, checking the checksum when the trailer comes.
pub struct Reader {
    input: Box<dyn BufRead>,
    digest: Sha256,
    buffer: Vec<u8>,
    /// Lines read, for error messages.
    pub line_number: u64,
}

impl Reader {
    pub fn open(path: &Path) -> anyhow::Result<Reader> {
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        Ok(Reader::from_reader(Box::new(BufReader::new(GzDecoder::new(BufReader::new(file))))))
    }

    pub fn from_reader(input: Box<dyn BufRead>) -> Reader {
        Reader { input, digest: Sha256::new(), buffer: Vec::new(), line_number: 0 }
    }

    /// The next line; `None` at the end of the file. The trailer's checksum is verified here:
    /// a file changed or cut anywhere is refused when its end is read.
    pub fn next_line(&mut self) -> anyhow::Result<Option<Line>> {
        self.buffer.clear();
        let read = self.input.read_until(b'\n', &mut self.buffer).context("the file cannot be read (not gzip?)")?;
        if read == 0 {
            return Ok(None);
        }
        self.line_number += 1;
        let line: Line = serde_json::from_slice(&self.buffer)
            .with_context(|| format!("line {} of the file is not a line of a Jiaoyan export", self.line_number))?;
        match &line {
            Line::End(trailer) => {
                let computed = hex::encode(self.digest.clone().finalize());
                anyhow::ensure!(
                    computed == trailer.sha256,
                    "the file is damaged: its checksum is {computed}, its trailer says {}",
                    trailer.sha256
                );
            }
            _ => self.digest.update(&self.buffer),
        }
        Ok(Some(line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Header {
        Header {
            format: 1,
            written_by: "jiaoyan test".into(),
            engine: Engine::Sqlite,
            exported_at: "2026-12-05T10:00:00Z".into(),
            migrations: vec!["m1".into()],
            change_version: 7,
        }
    }

    fn table() -> TableHeader {
        TableHeader {
            name: "districts".into(),
            columns: vec![ColumnSpec { name: "id".into(), ty: ColumnType::Integer }],
            primary_key: vec!["id".into()],
            rows: 1,
            sequence: Some(3),
        }
    }

    fn written(lines: &[Line]) -> Vec<u8> {
        let dir = std::env::temp_dir().join(format!("jiaoyan-format-{}-{}", std::process::id(), lines.len()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("x.jsonl.gz");
        let mut writer = Writer::create(&path).unwrap();
        for line in lines {
            writer.write(line).unwrap();
        }
        writer.finish(vec![("districts".into(), 1)]).unwrap();
        let mut text = Vec::new();
        std::io::Read::read_to_end(&mut GzDecoder::new(File::open(&path).unwrap()), &mut text).unwrap();
        std::fs::remove_dir_all(dir).unwrap();
        text
    }

    #[test]
    fn lines_are_tagged_json_and_the_trailer_checks_them() {
        let row: serde_json::Map<_, _> = [("id".to_string(), serde_json::json!(1))].into_iter().collect();
        let lines = [Line::Header(header()), Line::Table(table()), Line::Row(row.clone())];
        let text = written(&lines);
        let as_text = String::from_utf8(text.clone()).unwrap();
        let shown: Vec<&str> = as_text.lines().collect();
        assert_eq!(shown[2], r#"{"row":{"id":1}}"#);
        assert!(shown[0].starts_with(r#"{"header":{"format":1,"#), "{}", shown[0]);
        assert!(shown[1].contains(r#""columns":[{"name":"id","type":"integer"}]"#), "{}", shown[1]);
        assert!(shown[3].starts_with(r#"{"end":{"tables":[["districts",1]],"sha256":""#), "{}", shown[3]);

        let mut reader = Reader::from_reader(Box::new(std::io::Cursor::new(text.clone())));
        for expected in &lines {
            assert_eq!(reader.next_line().unwrap().as_ref(), Some(expected));
        }
        assert!(matches!(reader.next_line().unwrap(), Some(Line::End(_))));
        assert!(reader.next_line().unwrap().is_none());

        // One changed value: the trailer no longer matches.
        let damaged = as_text.replacen(r#"{"row":{"id":1}}"#, r#"{"row":{"id":2}}"#, 1);
        let mut reader = Reader::from_reader(Box::new(std::io::Cursor::new(damaged.into_bytes())));
        let err = loop {
            match reader.next_line() {
                Ok(Some(_)) => continue,
                Ok(None) => panic!("the damage went unnoticed"),
                Err(e) => break e.to_string(),
            }
        };
        assert!(err.contains("damaged"), "{err}");
    }
}
