//! The parts of a VERIS 1.3 incident the importer reads, as typed serde structs.
//!
//! VERIS files in the wild are loose: a field that should hold a list may hold one
//! string, a number may be written as a string, an object may be a string. Two kinds of
//! field are told apart here:
//!
//! - [`Checked`] parts are those the mapping cannot do without in their documented type
//!   (`action` an object, `attribute.confidentiality.data` an array, …). One of another
//!   type is kept with its text, so that the importer can say which, where, and refuse
//!   the file, reporting every such part at once.
//! - Everything else is read leniently, as the mapping always did: [`Strs`] takes a
//!   string or the strings of an array, [`Text`] a string, [`Loose`] an object (any other
//!   value is there but says nothing), and what does not fit is simply not used.
//!
//! The file is read once, into borrowed strings where it can be. Keys the importer does
//! not read are skipped without building anything, and without a depth limit (skipping
//! needs no recursion).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

/// The visit methods of a lenient visitor for the kinds of value it does not read
/// (`map seq bool i64 u64 f64 str unit`): each gives `$none`, skipping what a container
/// holds.
macro_rules! otherwise {
    ($none:expr; $($kind:ident)*) => {
        $(otherwise!(@ $kind $none);)*
    };
    (@ map $none:expr) => {
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            IgnoredAny.visit_map(map).map(|_| $none)
        }
    };
    (@ seq $none:expr) => {
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            IgnoredAny.visit_seq(seq).map(|_| $none)
        }
    };
    (@ bool $none:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($none)
        }
    };
    (@ i64 $none:expr) => {
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($none)
        }
    };
    (@ u64 $none:expr) => {
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($none)
        }
    };
    (@ f64 $none:expr) => {
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($none)
        }
    };
    (@ str $none:expr) => {
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok($none)
        }
    };
    (@ unit $none:expr) => {
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($none)
        }
    };
}

/// A VERIS incident: a JSON object, or a value of another type.
pub(super) enum Root<'a> {
    /// An object, read.
    Incident(Box<Veris<'a>>),
    /// Not an object.
    NotAnObject,
}

/// The top level of a VERIS incident.
#[derive(Deserialize)]
pub(super) struct Veris<'a> {
    #[serde(default, borrow)]
    pub(super) action: Checked<'a, Actions<'a>>,
    #[serde(default, borrow)]
    pub(super) actor: Checked<'a, Actors<'a>>,
    #[serde(default, borrow)]
    pub(super) asset: Checked<'a, Asset<'a>>,
    #[serde(default, borrow)]
    pub(super) attribute: Checked<'a, Attribute<'a>>,
    #[serde(default, borrow)]
    pub(super) timeline: Checked<'a, Timeline<'a>>,
    #[serde(default, borrow)]
    pub(super) victim: Checked<'a, Victim<'a>>,
    #[serde(default, borrow)]
    pub(super) summary: Checked<'a, Cow<'a, str>>,
    #[serde(default, borrow)]
    pub(super) incident_id: Text<'a>,
    #[serde(default, borrow)]
    pub(super) schema_version: Text<'a>,
    #[serde(default, borrow)]
    pub(super) security_incident: Text<'a>,
    #[serde(default, borrow)]
    pub(super) plus: Loose<Plus<'a>>,
}

/// `action`: the VERIS actions, each present or not.
#[derive(Deserialize, Default)]
pub(super) struct Actions<'a> {
    #[serde(default, borrow)]
    pub(super) malware: Loose<Action<'a>>,
    #[serde(default, borrow)]
    pub(super) hacking: Loose<Action<'a>>,
    #[serde(default, borrow)]
    pub(super) social: Loose<Action<'a>>,
    #[serde(default, borrow)]
    pub(super) misuse: Loose<Action<'a>>,
    #[serde(default, borrow)]
    pub(super) physical: Loose<Action<'a>>,
    #[serde(default, borrow)]
    pub(super) error: Loose<Action<'a>>,
    #[serde(default, borrow)]
    pub(super) environmental: Loose<Action<'a>>,
    #[serde(default, borrow)]
    pub(super) unknown: Loose<Action<'a>>,
}

impl<'a> Actions<'a> {
    /// The actions given, by name, in the order VERIS lists them.
    pub(super) fn given(&self) -> impl Iterator<Item = (&'static str, &Action<'a>)> {
        [
            ("malware", &self.malware),
            ("hacking", &self.hacking),
            ("social", &self.social),
            ("misuse", &self.misuse),
            ("physical", &self.physical),
            ("error", &self.error),
            ("environmental", &self.environmental),
            ("unknown", &self.unknown),
        ]
        .into_iter()
        .filter_map(|(name, action)| action.get().map(|a| (name, a)))
    }

    /// One action, by name, if given.
    pub(super) fn get(&self, name: &str) -> Option<&Action<'a>> {
        self.given().find(|(n, _)| *n == name).map(|(_, a)| a)
    }
}

/// `action.<name>`.
#[derive(Deserialize, Default)]
pub(super) struct Action<'a> {
    #[serde(default, borrow)]
    pub(super) variety: Strs<'a>,
    #[serde(default, borrow)]
    pub(super) vector: Strs<'a>,
    #[serde(default, borrow)]
    pub(super) result: Strs<'a>,
}

/// `actor`.
#[derive(Deserialize, Default)]
pub(super) struct Actors<'a> {
    #[serde(default, borrow)]
    pub(super) external: Loose<Actor<'a>>,
    #[serde(default, borrow)]
    pub(super) internal: Loose<Actor<'a>>,
    #[serde(default, borrow)]
    pub(super) partner: Loose<Actor<'a>>,
    #[serde(default, borrow)]
    pub(super) unknown: Loose<Actor<'a>>,
}

/// `actor.<kind>`.
#[derive(Deserialize, Default)]
pub(super) struct Actor<'a> {
    #[serde(default, borrow)]
    pub(super) variety: Strs<'a>,
}

/// `asset`.
#[derive(Deserialize, Default)]
pub(super) struct Asset<'a> {
    #[serde(default, borrow)]
    pub(super) management: Strs<'a>,
    #[serde(default, borrow)]
    pub(super) assets: Items<Variety<'a>>,
}

/// An object of which only `variety` is read (an asset, a data item).
#[derive(Deserialize, Default)]
pub(super) struct Variety<'a> {
    #[serde(default, borrow)]
    pub(super) variety: Text<'a>,
}

/// `attribute`.
#[derive(Deserialize, Default)]
pub(super) struct Attribute<'a> {
    #[serde(default, borrow)]
    pub(super) confidentiality: Checked<'a, Confidentiality<'a>>,
    #[serde(default, borrow)]
    pub(super) availability: Checked<'a, Availability<'a>>,
    #[serde(default, borrow)]
    pub(super) integrity: Loose<Availability<'a>>,
}

/// `attribute.confidentiality`.
#[derive(Deserialize, Default)]
pub(super) struct Confidentiality<'a> {
    #[serde(default, borrow)]
    pub(super) data: Checked<'a, Items<Variety<'a>>>,
    #[serde(default, borrow)]
    pub(super) data_total: Checked<'a, Count>,
    #[serde(default, borrow)]
    pub(super) data_disclosure: Text<'a>,
    #[serde(default, borrow)]
    pub(super) data_victim: Strs<'a>,
    #[serde(default, borrow)]
    pub(super) state: Strs<'a>,
}

/// `attribute.availability` and `attribute.integrity`: their varieties.
#[derive(Deserialize, Default)]
pub(super) struct Availability<'a> {
    #[serde(default, borrow)]
    pub(super) variety: Strs<'a>,
}

/// `timeline`.
#[derive(Deserialize, Default)]
pub(super) struct Timeline<'a> {
    #[serde(default, borrow)]
    pub(super) incident: Checked<'a, IncidentDate>,
}

/// `timeline.incident`: the date, as far as it is known.
#[derive(Deserialize, Default)]
pub(super) struct IncidentDate {
    #[serde(default)]
    pub(super) year: Whole,
    #[serde(default)]
    pub(super) month: Whole,
    #[serde(default)]
    pub(super) day: Whole,
}

/// `victim`.
#[derive(Deserialize, Default)]
pub(super) struct Victim<'a> {
    #[serde(default, borrow, rename = "victim_id")]
    pub(super) id: Strs<'a>,
    #[serde(default, borrow)]
    pub(super) country: Strs<'a>,
    #[serde(default, borrow)]
    pub(super) state: Strs<'a>,
    #[serde(default)]
    pub(super) industry: Industry,
    #[serde(default, borrow)]
    pub(super) secondary: Loose<Secondary<'a>>,
}

/// `victim.secondary`.
#[derive(Deserialize, Default)]
pub(super) struct Secondary<'a> {
    #[serde(default, borrow)]
    pub(super) victim_id: Strs<'a>,
}

/// `plus`, of which only `plus.attribute.confidentiality.data_abuse` is read.
#[derive(Deserialize, Default)]
pub(super) struct Plus<'a> {
    #[serde(default, borrow)]
    pub(super) attribute: Loose<PlusAttribute<'a>>,
}

/// `plus.attribute`.
#[derive(Deserialize, Default)]
pub(super) struct PlusAttribute<'a> {
    #[serde(default, borrow)]
    pub(super) confidentiality: Loose<PlusConfidentiality<'a>>,
}

/// `plus.attribute.confidentiality`.
#[derive(Deserialize, Default)]
pub(super) struct PlusConfidentiality<'a> {
    #[serde(default, borrow)]
    pub(super) data_abuse: Strs<'a>,
}

impl<'de> Deserialize<'de> for Root<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RootVisitor;

        impl<'de> Visitor<'de> for RootVisitor {
            type Value = Root<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a VERIS incident")
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                Veris::deserialize(MapAccessDeserializer::new(map)).map(|v| Root::Incident(Box::new(v)))
            }

            otherwise!(Root::NotAnObject; seq bool i64 u64 f64 str unit);
        }

        deserializer.deserialize_any(RootVisitor)
    }
}

/// A part that must have one JSON type ([`Expect`]) to be read.
#[derive(Default)]
pub(super) enum Checked<'a, T> {
    /// Not in the file.
    #[default]
    Absent,
    /// Read.
    Good(T),
    /// Of another type: its text, which lies within the file's.
    Wrong(&'a RawValue),
}

impl<T> Checked<'_, T> {
    /// The part, when it is there and of its type.
    pub(super) fn get(&self) -> Option<&T> {
        match self {
            Checked::Good(t) => Some(t),
            Checked::Absent | Checked::Wrong(_) => None,
        }
    }

    /// Whether the file has this key.
    pub(super) fn is_present(&self) -> bool {
        !matches!(self, Checked::Absent)
    }
}

/// The JSON type a [`Checked`] part must have, and how to read it from its text.
pub(super) trait Expect<'a>: Sized {
    /// The type's name, for a message: `object`, `array`, `number` or `string`.
    const TYPE: &'static str;

    /// The part, or `None` when the text is a value of another type.
    fn read(json: &'a str) -> serde_json::Result<Option<Self>>;
}

impl<'de: 'a, 'a, T: Expect<'de>> Deserialize<'de> for Checked<'a, T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <&'de RawValue>::deserialize(deserializer)?;
        match T::read(raw.get()) {
            Ok(Some(t)) => Ok(Checked::Good(t)),
            Ok(None) => Ok(Checked::Wrong(raw)),
            // The text is valid JSON: only a duplicate key can get here.
            Err(e) => Err(de::Error::custom(without_place(&e))),
        }
    }
}

/// A `serde_json` message without the ` at line L column C` that refers to a part's
/// own text rather than the file.
fn without_place(e: &serde_json::Error) -> String {
    let message = e.to_string();
    message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(m, _)| m)
        .to_owned()
}

/// Reads `json` as `T` when it starts as a value of its type does.
fn read_if<'a, T: Deserialize<'a>>(json: &'a str, start: char) -> serde_json::Result<Option<T>> {
    if json.trim_start().starts_with(start) {
        serde_json::from_str(json).map(Some)
    } else {
        Ok(None)
    }
}

/// Objects read as [`Checked`] parts.
macro_rules! objects {
    ($($ty:ident $(<$lt:lifetime>)?),*) => {$(
        impl<'de: 'a, 'a> Expect<'de> for $ty $(<$lt>)? {
            const TYPE: &'static str = "object";

            fn read(json: &'de str) -> serde_json::Result<Option<Self>> {
                read_if(json, '{')
            }
        }
    )*};
}

objects!(
    Actions<'a>,
    Actors<'a>,
    Asset<'a>,
    Attribute<'a>,
    Confidentiality<'a>,
    Availability<'a>,
    Timeline<'a>,
    Victim<'a>
);

impl Expect<'_> for IncidentDate {
    const TYPE: &'static str = "object";

    fn read(json: &str) -> serde_json::Result<Option<Self>> {
        read_if(json, '{')
    }
}

impl<'de, T: Deserialize<'de> + Default> Expect<'de> for Items<T> {
    const TYPE: &'static str = "array";

    fn read(json: &'de str) -> serde_json::Result<Option<Self>> {
        read_if(json, '[')
    }
}

impl<'de: 'a, 'a> Expect<'de> for Cow<'a, str> {
    const TYPE: &'static str = "string";

    fn read(json: &'de str) -> serde_json::Result<Option<Self>> {
        Ok(match serde_json::from_str::<Text<'a>>(json)? {
            Text::Str(s) => Some(s),
            Text::Absent | Text::Other => None,
        })
    }
}

/// `data_total`: a whole number, written as a number or as a string of digits.
pub(super) struct Count(pub(super) u64);

impl Expect<'_> for Count {
    const TYPE: &'static str = "number";

    fn read(json: &str) -> serde_json::Result<Option<Self>> {
        struct CountVisitor;

        impl<'de> Visitor<'de> for CountVisitor {
            type Value = Option<u64>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a count")
            }

            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Self::Value, E> {
                Ok(Some(n))
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(s.trim().parse().ok())
            }

            otherwise!(None; map seq bool i64 f64 unit);
        }

        let mut de = serde_json::Deserializer::from_str(json);
        Ok(de::Deserializer::deserialize_any(&mut de, CountVisitor)?.map(Count))
    }
}

/// An object read for its fields; any other value is there but gives none.
pub(super) struct Loose<T>(Option<T>);

impl<T> Default for Loose<T> {
    fn default() -> Self {
        Loose(None)
    }
}

impl<T> Loose<T> {
    /// The fields, when the file has this key (with defaults when it is not an object).
    pub(super) fn get(&self) -> Option<&T> {
        self.0.as_ref()
    }

    /// Whether the file has this key, whatever its value.
    pub(super) fn is_present(&self) -> bool {
        self.0.is_some()
    }
}

impl<'de, T: Deserialize<'de> + Default> Deserialize<'de> for Loose<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LooseVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de> + Default> Visitor<'de> for LooseVisitor<T> {
            type Value = Loose<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any value")
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(|t| Loose(Some(t)))
            }

            otherwise!(Loose(Some(T::default())); seq bool i64 u64 f64 str unit);
        }

        deserializer.deserialize_any(LooseVisitor(PhantomData))
    }
}

/// The items of an array, each read as [`Loose`]; any other value gives none.
pub(super) struct Items<T>(Vec<Loose<T>>);

impl<T> Default for Items<T> {
    fn default() -> Self {
        Items(Vec::new())
    }
}

impl<T> Items<T> {
    /// The items, those that are not objects with default fields.
    pub(super) fn iter(&self) -> impl Iterator<Item = &T> {
        self.0.iter().filter_map(Loose::get)
    }
}

impl<'de, T: Deserialize<'de> + Default> Deserialize<'de> for Items<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ItemsVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de> + Default> Visitor<'de> for ItemsVisitor<T> {
            type Value = Items<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any value")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Items(items))
            }

            otherwise!(Items::default(); map bool i64 u64 f64 str unit);
        }

        deserializer.deserialize_any(ItemsVisitor(PhantomData))
    }
}

/// A value read for its string: absent, a string, or something else.
#[derive(Default)]
pub(super) enum Text<'a> {
    /// Not in the file.
    #[default]
    Absent,
    /// A string.
    Str(Cow<'a, str>),
    /// Another value (`null` included).
    Other,
}

impl Text<'_> {
    /// The string, if it is one.
    pub(super) fn as_str(&self) -> Option<&str> {
        match self {
            Text::Str(s) => Some(s),
            Text::Absent | Text::Other => None,
        }
    }

    /// Whether the file has this key.
    pub(super) fn is_present(&self) -> bool {
        !matches!(self, Text::Absent)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor<'a>(PhantomData<&'a ()>);

        impl<'de: 'a, 'a> Visitor<'de> for TextVisitor<'a> {
            type Value = Text<'a>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any value")
            }

            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Text::Str(Cow::Borrowed(s)))
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Text::Str(Cow::Owned(s.to_owned())))
            }

            otherwise!(Text::Other; map seq bool i64 u64 f64 unit);
        }

        deserializer.deserialize_any(TextVisitor(PhantomData))
    }
}

/// The strings of a value that is a string or an array (whose other items are
/// skipped); any other value gives none.
#[derive(Default)]
pub(super) struct Strs<'a>(Vec<Cow<'a, str>>);

impl Strs<'_> {
    /// The strings, in order.
    pub(super) fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(AsRef::as_ref)
    }

    /// Whether one of them is `s`.
    pub(super) fn contains(&self, s: &str) -> bool {
        self.iter().any(|x| x == s)
    }

    /// Whether there is none.
    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Strs<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrsVisitor<'a>(PhantomData<&'a ()>);

        impl<'de: 'a, 'a> Visitor<'de> for StrsVisitor<'a> {
            type Value = Strs<'a>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any value")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<Text<'a>>()? {
                    if let Text::Str(s) = item {
                        out.push(s);
                    }
                }
                Ok(Strs(out))
            }

            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Strs(vec![Cow::Borrowed(s)]))
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Strs(vec![Cow::Owned(s.to_owned())]))
            }

            otherwise!(Strs::default(); map bool i64 u64 f64 unit);
        }

        deserializer.deserialize_any(StrsVisitor(PhantomData))
    }
}

/// A whole number written as a number (an integer, or a float with no fraction below
/// 2^53) or as a string of digits; anything else gives none.
#[derive(Default)]
pub(super) struct Whole(pub(super) Option<u64>);

impl<'de> Deserialize<'de> for Whole {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct WholeVisitor;

        impl<'de> Visitor<'de> for WholeVisitor {
            type Value = Whole;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any value")
            }

            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Self::Value, E> {
                Ok(Whole(Some(n)))
            }

            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Self::Value, E> {
                Ok(Whole(u64::try_from(n).ok()))
            }

            fn visit_f64<E: de::Error>(self, f: f64) -> Result<Self::Value, E> {
                // Exact whole numbers below 2^53 only; anything else is not a count.
                let whole = f.is_finite() && f >= 0.0 && f.fract() == 0.0 && f < 9.0e15;
                Ok(Whole(whole.then(|| format!("{f:.0}").parse().ok()).flatten()))
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Whole(s.trim().parse().ok()))
            }

            otherwise!(Whole(None); map seq bool unit);
        }

        deserializer.deserialize_any(WholeVisitor)
    }
}

/// `victim.industry`: a NAICS code, written as a string (trimmed) or a number.
#[derive(Default)]
pub(super) struct Industry(pub(super) Option<String>);

impl<'de> Deserialize<'de> for Industry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IndustryVisitor;

        impl<'de> Visitor<'de> for IndustryVisitor {
            type Value = Industry;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any value")
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Industry(Some(s.trim().to_owned())))
            }

            // Numbers as JSON writes them back.
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Self::Value, E> {
                Ok(Industry(Some(serde_json::Number::from(n).to_string())))
            }

            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Self::Value, E> {
                Ok(Industry(Some(serde_json::Number::from(n).to_string())))
            }

            fn visit_f64<E: de::Error>(self, f: f64) -> Result<Self::Value, E> {
                Ok(Industry(serde_json::Number::from_f64(f).map(|n| n.to_string())))
            }

            otherwise!(Industry(None); map seq bool unit);
        }

        deserializer.deserialize_any(IndustryVisitor)
    }
}
