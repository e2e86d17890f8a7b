//! The shapes an engine has written create bodies in, each with what was worked out for it
//! (its [`JsonTemplate`](crate::scim::JsonTemplate), or that it has none), so that the objects
//! of a cycle, which share a handful of shapes, are written from a template made once.

/// Shapes an engine keeps: a cycle's objects share a handful; past this many, the oldest goes.
const KEPT: usize = 16;

/// Shapes, most recently made last.
#[derive(Debug)]
pub struct BodyShapes<S> {
    shapes: Vec<S>,
}

impl<S> Default for BodyShapes<S> {
    fn default() -> Self {
        Self { shapes: Vec::new() }
    }
}

impl<S> BodyShapes<S> {
    /// The kept shape that `is` accepts, else the one `make` makes, kept from now on: past
    /// 16 shapes, the oldest goes.
    pub fn find_or_make(&mut self, is: impl Fn(&S) -> bool, make: impl FnOnce() -> S) -> &S {
        let index = match self.shapes.iter().position(is) {
            Some(index) => index,
            None => {
                if self.shapes.len() == KEPT {
                    self.shapes.remove(0);
                }
                self.shapes.push(make());
                self.shapes.len() - 1
            }
        };
        &self.shapes[index]
    }

    /// The kept shapes, most recently made last.
    #[cfg(test)]
    pub fn kept(&self) -> &[S] {
        &self.shapes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shape_is_made_once_and_the_oldest_goes() {
        let mut shapes = BodyShapes::default();
        assert_eq!(*shapes.find_or_make(|&s| s == 1, || 1), 1);
        assert_eq!(*shapes.find_or_make(|&s| s == 1, || unreachable!("kept")), 1);
        for shape in 2..=KEPT + 1 {
            shapes.find_or_make(|&s| s == shape, || shape);
        }
        assert_eq!(shapes.kept().len(), KEPT);
        assert_eq!(shapes.kept()[0], 2);
        assert_eq!(shapes.kept()[KEPT - 1], KEPT + 1);
    }
}
