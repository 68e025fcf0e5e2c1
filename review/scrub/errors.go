package scrub

import "errors"

// ErrCannotClean means a file is of a kind whose metadata this package
// cannot remove.
var ErrCannotClean = errors.New("cannot remove metadata from this kind of file")

// ErrImageTooLarge means an image is larger than [MaxImageBytes] or
// [MaxImagePixels].
var ErrImageTooLarge = errors.New("the image is too large to clean")
