//! Reads catalog files from their snapshots: the embedded catalog is parsed once, when
//! ctrlmap is built (see [`encode`]), and loading it at run time only walks the stored
//! tree into the `spec` types, spans included, as the `toml` deserializer would.
//!
//! The reader is a small `serde` deserializer. It hands out spans through
//! `serde_spanned`'s own protocol, so `Spanned` fields get the positions of the TOML
//! text, and diagnostics about the embedded catalog point where they always did. Any
//! failure here is answered by parsing the text instead, so a snapshot can make
//! loading faster but never change what it produces or reports.

pub mod encode;

use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde_spanned::de::{SpannedDeserializer, is_spanned};

use encode::{ARRAY, BOOL, FLOAT, INT, MAGIC, STR, TABLE};

/// Why a snapshot could not be read; only ever seen by tests, since the loader falls
/// back to the text.
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// Deserializes a `T` from a snapshot made by [`encode::encode`].
///
/// # Errors
/// When the bytes are not a whole snapshot, or do not have the shape of a `T`.
pub fn decode<'de, T: Deserialize<'de>>(bytes: &'de [u8]) -> Result<T, Error> {
    let rest = bytes
        .strip_prefix(MAGIC)
        .ok_or_else(|| Error("not a catalog snapshot".to_owned()))?;
    let mut reader = Reader {
        bytes: rest,
        pos: 0,
        strings: "",
    };
    let len = reader.u32()?;
    // The strings are checked once, here; a string node is then a slice of them.
    reader.strings =
        std::str::from_utf8(reader.slice(len)?).map_err(|_| Error("the strings are not UTF-8".to_owned()))?;
    let value = T::deserialize(Node::read(&mut reader)?)?;
    if reader.pos != reader.bytes.len() {
        return Err(Error("trailing bytes after the snapshot".to_owned()));
    }
    Ok(value)
}

struct Reader<'de> {
    bytes: &'de [u8],
    pos: usize,
    strings: &'de str,
}

impl<'de> Reader<'de> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], Error> {
        let bytes = self.slice(N)?;
        bytes.try_into().map_err(|_| truncated())
    }

    fn slice(&mut self, len: usize) -> Result<&'de [u8], Error> {
        let end = self.pos.checked_add(len).ok_or_else(truncated)?;
        let bytes = self.bytes.get(self.pos..end).ok_or_else(truncated)?;
        self.pos = end;
        Ok(bytes)
    }

    fn u32(&mut self) -> Result<usize, Error> {
        Ok(u32::from_le_bytes(self.take()?) as usize)
    }

    fn u64(&mut self) -> Result<u64, Error> {
        Ok(u64::from_le_bytes(self.take()?))
    }

    fn str(&mut self) -> Result<&'de str, Error> {
        let offset = self.u32()?;
        let len = self.u32()?;
        offset
            .checked_add(len)
            .and_then(|end| self.strings.get(offset..end))
            .ok_or_else(|| Error("a string lies outside the strings".to_owned()))
    }
}

fn truncated() -> Error {
    Error("the snapshot ends early".to_owned())
}

/// One node whose span has been read; its tag and payload come next.
struct Node<'a, 'de> {
    reader: &'a mut Reader<'de>,
    span: Range<usize>,
}

impl<'a, 'de> Node<'a, 'de> {
    fn read(reader: &'a mut Reader<'de>) -> Result<Self, Error> {
        let start = reader.u32()?;
        let end = reader.u32()?;
        Ok(Node {
            reader,
            span: start..end,
        })
    }
}

impl<'de> IntoDeserializer<'de, Error> for Node<'_, 'de> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> de::Deserializer<'de> for Node<'_, 'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let reader = self.reader;
        let [tag] = reader.take()?;
        match tag {
            STR => visitor.visit_borrowed_str(reader.str()?),
            INT => visitor.visit_i64(i64::from_le_bytes(reader.take()?)),
            FLOAT => visitor.visit_f64(f64::from_bits(reader.u64()?)),
            BOOL => {
                let [b] = reader.take()?;
                visitor.visit_bool(b != 0)
            }
            ARRAY => {
                let mut items = Items {
                    left: reader.u32()?,
                    reader,
                };
                let value = visitor.visit_seq(&mut items)?;
                items.finished(value)
            }
            TABLE => {
                let mut entries = Items {
                    left: reader.u32()?,
                    reader,
                };
                let value = visitor.visit_map(&mut entries)?;
                entries.finished(value)
            }
            _ => Err(Error(format!("unknown node tag {tag}"))),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        // As in TOML: a key that is present holds a value.
        visitor.visit_some(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let _ = fields;
        if is_spanned(name) {
            let span = self.span.clone();
            return visitor.visit_map(SpannedDeserializer::new(self, span));
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let _ = (name, variants);
        match self.reader.take()? {
            [STR] => visitor.visit_enum(BorrowedStrDeserializer::new(self.reader.str()?)),
            _ => Err(Error("an enum is not written as a string".to_owned())),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, Error> {
        let _ = name;
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

/// The items of an array or the entries of a table still to read.
struct Items<'a, 'de> {
    reader: &'a mut Reader<'de>,
    left: usize,
}

impl<'de> Items<'_, 'de> {
    /// The next item, or the next entry's key, while any is left.
    fn next<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(Node::read(self.reader)?).map(Some)
    }

    /// A visitor that stops early would leave the reader inside this node.
    fn finished<T>(&self, value: T) -> Result<T, Error> {
        if self.left == 0 {
            Ok(value)
        } else {
            Err(Error("a value was left unread".to_owned()))
        }
    }
}

impl<'de> SeqAccess<'de> for Items<'_, 'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        self.next(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

impl<'de> MapAccess<'de> for Items<'_, 'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        self.next(seed)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        seed.deserialize(Node::read(self.reader)?)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::{decode, encode::encode};
    use crate::spec::CatalogFileSpec;

    /// What the text gives, with spans, or the error message.
    fn from_text(text: &str) -> Result<String, String> {
        toml::from_str::<CatalogFileSpec>(text)
            .map(|spec| format!("{spec:#?}"))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn every_embedded_file_reads_from_its_snapshot_as_from_its_text() {
        assert!(!super::super::embedded::FILES.is_empty());
        for (name, text, snapshot) in super::super::embedded::FILES {
            assert!(!snapshot.is_empty(), "{name} has no snapshot");
            let decoded = decode::<CatalogFileSpec>(snapshot).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(Ok(format!("{decoded:#?}")), from_text(text), "{name}");
        }
    }

    fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                toml_files(&path, out);
            } else if path.extension().is_some_and(|x| x == "toml") {
                out.push(path);
            }
        }
    }

    /// Every TOML file of the repository, valid or hostile: when its snapshot reads, it
    /// reads exactly as its text does, spans included; when the text does not load,
    /// neither does the snapshot, so no diagnostic can be lost.
    #[test]
    fn a_snapshot_never_reads_differently_from_its_text() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["controls", "incidents", "tests"] {
            toml_files(&root.join(dir), &mut files);
        }
        files.sort();
        let (mut read, mut refused) = (0, 0);
        for path in &files {
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            let Some(bytes) = encode(&text) else {
                continue;
            };
            if let Ok(spec) = decode::<CatalogFileSpec>(&bytes) {
                read += 1;
                assert_eq!(Ok(format!("{spec:#?}")), from_text(&text), "{}", path.display());
            } else {
                refused += 1;
                assert!(from_text(&text).is_err(), "{} reads only from its text", path.display());
            }
        }
        // Both branches are exercised: catalog files read, incidents and bad files don't.
        assert!(read >= 50 && refused >= 40, "read {read}, refused {refused}");
    }

    #[test]
    fn damaged_snapshots_are_refused_not_misread() {
        let text =
            "[kind.data]\ntitle = \"Data\"\nworld = \"closed\"\n[kind.data.facts]\nemail = { title = \"Email\" }\n";
        let bytes = encode(text).expect("a plain document has a snapshot");
        assert!(decode::<CatalogFileSpec>(&bytes).is_ok());
        for cut in 0..bytes.len() {
            assert!(decode::<CatalogFileSpec>(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut extra = bytes.clone();
        extra.push(0);
        assert!(decode::<CatalogFileSpec>(&extra).is_err());
    }
}
