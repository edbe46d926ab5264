//! Writes the snapshot form of a catalog file: its TOML document tree, already parsed,
//! with the span of every key and value, in a compact binary layout that
//! [`super::decode`] turns into the `spec` types without parsing TOML again.
//!
//! The build script includes this file to snapshot the embedded catalog at compile
//! time, so it depends on nothing but `toml`. Layout (integers little-endian):
//!
//! ```text
//! file  = MAGIC node                  the root node is a table
//! node  = start:u32 end:u32 tag:u8 payload
//! STR   = len:u32 utf8-bytes          also every table key
//! INT   = i64        FLOAT = f64 bits as u64        BOOL = u8
//! ARRAY = count:u32 node*             TABLE = count:u32 (key-node value-node)*
//! ```
//!
//! A document the layout cannot hold (a date-time, an integer beyond `i64`, a syntax
//! error) has no snapshot: the loader parses its text as usual.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The first bytes of every snapshot; a change of layout changes the version.
pub const MAGIC: &[u8] = b"ctrlmap catalog snapshot 1\n";
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
    let mut out = MAGIC.to_vec();
    span(&mut out, root.span())?;
    out.push(TABLE);
    table(&mut out, root.get_ref())?;
    Some(out)
}

fn table(out: &mut Vec<u8>, table: &DeTable<'_>) -> Option<()> {
    count(out, table.len())?;
    for (key, value) in table {
        span(out, key.span())?;
        out.push(STR);
        string(out, key.get_ref())?;
        node(out, value)?;
    }
    Some(())
}

fn node(out: &mut Vec<u8>, value: &Spanned<DeValue<'_>>) -> Option<()> {
    span(out, value.span())?;
    match value.get_ref() {
        DeValue::String(s) => {
            out.push(STR);
            string(out, s)?;
        }
        DeValue::Integer(i) => {
            let n = i64::from_str_radix(i.as_str(), i.radix()).ok()?;
            out.push(INT);
            out.extend_from_slice(&n.to_le_bytes());
        }
        DeValue::Float(f) => {
            // As `toml` reads floats: an infinity is only ever written as `inf`.
            let x: f64 = f.as_str().parse().ok()?;
            if x.is_infinite() && !f.as_str().contains("inf") {
                return None;
            }
            out.push(FLOAT);
            out.extend_from_slice(&x.to_bits().to_le_bytes());
        }
        DeValue::Boolean(b) => {
            out.push(BOOL);
            out.push(u8::from(*b));
        }
        DeValue::Datetime(_) => return None,
        DeValue::Array(items) => {
            out.push(ARRAY);
            count(out, items.len())?;
            for item in items {
                node(out, item)?;
            }
        }
        DeValue::Table(t) => {
            out.push(TABLE);
            table(out, t)?;
        }
    }
    Some(())
}

fn span(out: &mut Vec<u8>, span: std::ops::Range<usize>) -> Option<()> {
    out.extend_from_slice(&u32::try_from(span.start).ok()?.to_le_bytes());
    out.extend_from_slice(&u32::try_from(span.end).ok()?.to_le_bytes());
    Some(())
}

fn count(out: &mut Vec<u8>, n: usize) -> Option<()> {
    out.extend_from_slice(&u32::try_from(n).ok()?.to_le_bytes());
    Some(())
}

fn string(out: &mut Vec<u8>, s: &str) -> Option<()> {
    count(out, s.len())?;
    out.extend_from_slice(s.as_bytes());
    Some(())
}
