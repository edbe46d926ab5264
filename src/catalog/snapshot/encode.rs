//! Writes the snapshot form of a catalog file: its TOML document tree, already parsed,
//! with the span of every key and value, in a compact binary layout that
//! [`super::decode`] turns into the `spec` types without parsing TOML again.
//!
//! The build script includes this file to snapshot the embedded catalog at compile
//! time, so it depends on nothing but `toml`. Layout (integers little-endian):
//!
//! ```text
//! file  = MAGIC len:u32 strings node  the strings, UTF-8, each stored once; the root
//!                                     node is a table
//! node  = start:u32 end:u32 tag:u8 payload
//! STR   = offset:u32 len:u32          a slice of the strings; also every table key
//! INT   = i64        FLOAT = f64 bits as u64        BOOL = u8
//! ARRAY = count:u32 node*             TABLE = count:u32 (key-node value-node)*
//! ```
//!
//! A document the layout cannot hold (a date-time, an integer beyond `i64`, a syntax
//! error) has no snapshot: the loader parses its text as usual.

use std::collections::HashMap;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The first bytes of every snapshot; a change of layout changes the version.
pub const MAGIC: &[u8] = b"ctrlmap catalog snapshot 2\n";
/// Tag of a string node.
pub const STR: u8 = 0;
/// Tag of an integer node.
pub const INT: u8 = 1;
/// Tag of a float node.
pub const FLOAT: u8 = 2;
/// Tag of a boolean node.
pub const BOOL: u8 = 3;
/// Tag of an array node.
pub const ARRAY: u8 = 4;
/// Tag of a table node.
pub const TABLE: u8 = 5;

/// The snapshot of a TOML document, or `None` when it has none (see the module doc).
#[must_use]
pub fn encode(text: &str) -> Option<Vec<u8>> {
    u32::try_from(text.len()).ok()?;
    let root = DeTable::parse(text).ok()?;
    let mut w = Writer::default();
    w.span(root.span())?;
    w.nodes.push(TABLE);
    w.table(root.get_ref())?;
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&u32::try_from(w.strings.len()).ok()?.to_le_bytes());
    out.extend_from_slice(w.strings.as_bytes());
    out.extend_from_slice(&w.nodes);
    Some(out)
}

#[derive(Default)]
struct Writer<'t> {
    nodes: Vec<u8>,
    strings: String,
    /// Where each string already stored starts.
    stored: HashMap<&'t str, u32>,
}

impl<'t> Writer<'t> {
    fn table(&mut self, table: &'t DeTable<'_>) -> Option<()> {
        self.count(table.len())?;
        for (key, value) in table {
            self.span(key.span())?;
            self.nodes.push(STR);
            self.string(key.get_ref())?;
            self.node(value)?;
        }
        Some(())
    }

    fn node(&mut self, value: &'t Spanned<DeValue<'_>>) -> Option<()> {
        self.span(value.span())?;
        match value.get_ref() {
            DeValue::String(s) => {
                self.nodes.push(STR);
                self.string(s)?;
            }
            DeValue::Integer(i) => {
                let n = i64::from_str_radix(i.as_str(), i.radix()).ok()?;
                self.nodes.push(INT);
                self.nodes.extend_from_slice(&n.to_le_bytes());
            }
            DeValue::Float(f) => {
                // As `toml` reads floats: an infinity is only ever written as `inf`.
                let x: f64 = f.as_str().parse().ok()?;
                if x.is_infinite() && !f.as_str().contains("inf") {
                    return None;
                }
                self.nodes.push(FLOAT);
                self.nodes.extend_from_slice(&x.to_bits().to_le_bytes());
            }
            DeValue::Boolean(b) => {
                self.nodes.push(BOOL);
                self.nodes.push(u8::from(*b));
            }
            DeValue::Datetime(_) => return None,
            DeValue::Array(items) => {
                self.nodes.push(ARRAY);
                self.count(items.len())?;
                for item in items {
                    self.node(item)?;
                }
            }
            DeValue::Table(t) => {
                self.nodes.push(TABLE);
                self.table(t)?;
            }
        }
        Some(())
    }

    fn span(&mut self, span: std::ops::Range<usize>) -> Option<()> {
        self.u32(span.start)?;
        self.u32(span.end)
    }

    fn count(&mut self, n: usize) -> Option<()> {
        self.u32(n)
    }

    fn u32(&mut self, n: usize) -> Option<()> {
        self.nodes.extend_from_slice(&u32::try_from(n).ok()?.to_le_bytes());
        Some(())
    }

    fn string(&mut self, s: &'t str) -> Option<()> {
        let offset = if let Some(&offset) = self.stored.get(s) {
            offset
        } else {
            let offset = u32::try_from(self.strings.len()).ok()?;
            self.strings.push_str(s);
            self.stored.insert(s, offset);
            offset
        };
        self.u32(offset as usize)?;
        self.u32(s.len())
    }
}
