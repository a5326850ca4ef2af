// Package helm tests the Helm chart in examples/helm/softphone: `helm lint`
// and `helm template` with Helm pinned as a Go tool in this module's
// go.mod, and every rendered object decoded strictly (unknown fields
// refused) into the Kubernetes API types of k8s.io/api. It is a module of
// its own so that Helm and the Kubernetes libraries stay out of the
// product's go.mod.
package helm
