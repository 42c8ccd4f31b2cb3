//! Outbound notification channels. Each module only delivers what it is handed: no domain rules,
//! no database.

pub mod mail;
