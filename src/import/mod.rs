//! Importers: formats this field already uses, turned into ctrlmap TOML.
