//! 152-ФЗ: a resident's own data (export, withdrawal of consent, erasure) and the same for a
//! person without an account, done by a clerk or an administrator on request, audited.

pub mod document;
pub mod erase;
pub mod export;
mod html;
mod text;
