//! The inspection's paperwork (issue 15): printed orders and acts, their templates, the
//! registers of orders, fines and acts, and the inspector's visits.

pub mod act_register;
pub mod csv;
pub mod documents;
pub mod registers;
pub mod templates;
pub mod visits;
