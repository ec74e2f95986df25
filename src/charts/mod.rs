//! Charts drawn with plotters on any `DrawingBackend`: a canvas in the
//! page, or another backend elsewhere.

pub mod daily;
