//! Importers (OSCAL, VERIS).
