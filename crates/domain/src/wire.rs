//! The wire names of the domain's enums.
//!
//! Each enum derives `strum::EnumIter` and `strum::IntoStaticStr` (snake_case) next to serde's
//! `rename_all = "snake_case"`, and [`wire_enum!`] gives it `as_str`, `all`, `Display` and
//! `FromStr` from those derives. A new variant thus gets its name, its parsing and its place in
//! every table and round-trip test from the compiler, not from a hand-kept list.

/// Implements `as_str`, `all`, `Display` and `FromStr` (failing with [`crate::ParseEnumError`])
/// for an enum that derives `strum::EnumIter` and `strum::IntoStaticStr`.
macro_rules! wire_enum {
    ($ty:ty, $what:literal) => {
        impl $ty {
            /// The stable snake_case name, as stored and as sent over the API.
            pub fn as_str(self) -> &'static str {
                self.into()
            }

            /// Every variant, in declaration order.
            pub fn all() -> impl Iterator<Item = Self> {
                <Self as strum::IntoEnumIterator>::iter()
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str((*self).as_str())
            }
        }

        impl std::str::FromStr for $ty {
            type Err = crate::ParseEnumError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::all()
                    .find(|variant| variant.as_str() == s)
                    .ok_or_else(|| crate::ParseEnumError::new($what, s))
            }
        }
    };
}

pub(crate) use wire_enum;
