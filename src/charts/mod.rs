//! Charts drawn with plotters on any `DrawingBackend`: a canvas in the
//! page, or SVG text for downloads and native tests. `spec` says what a
//! chart shows; the other modules turn that into pixels or a table.

pub mod axis;
pub mod draw;
pub mod layout;
pub mod palette;
pub mod scale;
pub mod spec;
pub mod stack;
pub mod svg;
pub mod table;
pub mod views;

pub use draw::draw;
pub use palette::{Palette, DARK, LIGHT};
pub use spec::{Chart, Series};
pub use svg::to_svg;
