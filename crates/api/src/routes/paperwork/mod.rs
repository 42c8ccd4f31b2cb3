//! The inspection's paperwork (issue 15): printed orders and acts, their templates, the
//! registers of orders and fines, and the inspector's visits.

pub mod csv;
pub mod documents;
pub mod registers;
pub mod templates;
pub mod visits;
