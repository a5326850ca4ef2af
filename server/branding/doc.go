// Package branding checks a brand overlay: the folder of files, at the
// served tree's paths, that replace the softphone's default logo, sounds,
// virtual backgrounds and UI text (docs/architecture.md, "The served tree").
//
// Check runs on every config load and in `softphone check`. It turns the
// vendor manual's rules for resource customization into messages that name
// the file and say what is allowed and what was found: a logo is an SVG with
// a viewBox within 241x34, the small logo is no larger than the logo,
// virtual backgrounds reuse the existing names, sounds are a format browsers
// play, and the text file is a JSON object of strings with known keys and a
// valid BCP 47 LANGUAGE_RESOURCE_LOCALE. Errors refuse the config; warnings
// are logged.
//
// The upgrade report automates the manual's upgrade step 4c: it lists the
// keys of the overlay's text files that the current client no longer uses
// and the client's new keys the overlay lacks.
package branding
