package advancedoptions

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/softphone/softphone/internal/yamlnode"
)

// migrator rewrites deprecated keys of an advancedOptions mapping node in
// place, as the manual maps them, and reports each rewrite. Running it on
// its own output changes nothing (deprecated keys are gone). When an old
// key and its replacement are both set, the replacement wins and the old
// key is dropped with a warning.
type migrator struct {
	file  string
	migs  []Migration
	warns []Diagnostic
	errs  Errors
}

func (m *migrator) diag(n *yaml.Node, path, format string, args ...any) Diagnostic {
	d := Diagnostic{File: m.file, Path: path, Message: fmt.Sprintf(format, args...)}
	if n != nil {
		d.Line, d.Col = n.Line, n.Column
	}
	return d
}

func (m *migrator) warnf(n *yaml.Node, path, format string, args ...any) {
	m.warns = append(m.warns, m.diag(n, path, format, args...))
}

func (m *migrator) errorf(n *yaml.Node, path, format string, args ...any) {
	m.errs = append(m.errs, m.diag(n, path, format, args...))
}

func (m *migrator) record(oldPath, newPath string, v *yaml.Node) {
	m.migs = append(m.migs, Migration{Old: oldPath, New: newPath, Value: nodeValue(v)})
}

// run applies every migration to root, an advancedOptions mapping.
func (m *migrator) run(root *yaml.Node) {
	if root == nil || root.Kind != yaml.MappingNode {
		return // the decoder reports what is wrong
	}
	if sc := child(root, "defaultServerConfig"); sc != nil && sc.Kind == yaml.MappingNode {
		m.move(sc, "sipIpsServers", p("defaultServerConfig"), root, []string{"defaultServerConfig", "sipIceServers"})
		m.iceSchemes(child(sc, "sipIceServers"))
	}
	m.move(root, "autoplayNotificationOptions", rootPath, root, []string{"notificationOptions", "autoplay"})
	m.move(root, "maxSizeForCallHistory", rootPath, root, []string{"callHistoryConfig", "maxEntries"})
	if acd := child(root, "ACDClientConfig"); acd != nil && acd.Kind == yaml.MappingNode {
		if _, v := lookupKey(acd, "notReadyStatusValue"); v != nil && v.Kind == yaml.ScalarNode && (v.ShortTag() == "!!int" || v.ShortTag() == "!!float") {
			v.Tag = "!!str" // reason codes are texts; a legacy number keeps its digits
		}
		m.move(acd, "notReadyStatusValue", p("ACDClientConfig"), root, []string{"ACDClientConfig", "notReadyDefaultReasonCode"})
	}
	if lv := child(root, "localVideoFilter"); lv != nil && lv.Kind == yaml.MappingNode {
		m.move(lv, "supported", p("localVideoFilter"), root, []string{"localVideoFilter", "virtualBackgroundSupported"})
	}
	m.platforms(root)
	// defaultOAuthConfig and supportedAuthenticationSchemes mark a
	// configuration from before 2.6, whose client had the Genesys Pure
	// Engage integration built in.
	if isSet(child(root, "defaultOAuthConfig")) || isSet(child(root, "supportedAuthenticationSchemes")) {
		m.pureEngage(root)
	}
	m.auth(root)
}

// move moves key of parent (at parentPath) to the path to under root,
// creating mappings on the way.
func (m *migrator) move(parent *yaml.Node, key, parentPath string, root *yaml.Node, to []string) {
	kn, v := lookupKey(parent, key)
	if kn == nil {
		return
	}
	oldPath, newPath := parentPath+"."+key, p(to...)
	removeKey(parent, key)
	if !isSet(v) {
		return
	}
	target := root
	for i, k := range to[:len(to)-1] {
		next := child(target, k)
		if next == nil || yamlnode.IsNull(next) {
			next = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: kn.Line, Column: kn.Column}
			setKey(target, k, next)
		}
		if next.Kind != yaml.MappingNode {
			m.errorf(kn, oldPath, "is deprecated and moves to %s, but %s is not a mapping", newPath, p(to[:i+1]...))
			return
		}
		target = next
	}
	last := to[len(to)-1]
	if isSet(child(target, last)) {
		m.warnf(kn, oldPath, "is deprecated and ignored, because %s is set", newPath)
		return
	}
	setKey(target, last, v)
	m.record(oldPath, newPath, v)
}

// iceSchemes turns bare host:port ICE servers, as the manual's example
// writes them, into stun: URLs.
func (m *migrator) iceSchemes(list *yaml.Node) {
	if list == nil || list.Kind != yaml.SequenceNode {
		return
	}
	for i, n := range list.Content {
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
			continue
		}
		if checkICE(n.Value) != "" && checkICE("stun:"+n.Value) == "" {
			path := idx(p("defaultServerConfig", "sipIceServers"), i)
			n.Value = "stun:" + n.Value
			m.record(path, path, n)
		}
	}
}

// platforms canonicalizes contactCenterPlatform spellings such as the
// manual's "genesys cloud" and "genesys pure engage".
func (m *migrator) platforms(root *yaml.Node) {
	list := child(child(root, "contactCenterConfig"), "integrations")
	if list == nil || list.Kind != yaml.SequenceNode {
		return
	}
	for i, in := range list.Content {
		_, v := lookupKey(in, "contactCenterPlatform")
		if v == nil || v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" {
			continue
		}
		canon := strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(strings.TrimSpace(v.Value)))
		if canon != v.Value && (canon == PlatformGenesysCloud || canon == PlatformGenesysPureEngage) {
			path := idx(p("contactCenterConfig", "integrations"), i) + ".contactCenterPlatform"
			v.Value = canon
			m.record(path, path, v)
		}
	}
}

// pureEngageIntegration is the Genesys Pure Engage entry exactly as the
// manual's contactCenterConfig example shows it; configurations from before
// 2.6 need it to keep that integration (Genesys WDE).
func pureEngageIntegration() *yaml.Node {
	return mapNode(
		"enabled", boolNode(true),
		"contactCenterPlatform", strNode(PlatformGenesysPureEngage),
		"serviceName", strNode("Genesys Pure Engage"),
		"customSipHeaderNames", mapNode("contactCenterCallUuidHeader", strNode("x-genesys-calluuid")),
	)
}

// pureEngage adds the Genesys Pure Engage integration to a pre-2.6
// configuration that lacks one.
func (m *migrator) pureEngage(root *yaml.Node) {
	cc := child(root, "contactCenterConfig")
	if cc == nil || yamlnode.IsNull(cc) {
		cc = mapNode()
		setKey(root, "contactCenterConfig", cc)
	}
	if cc.Kind != yaml.MappingNode {
		return
	}
	list := child(cc, "integrations")
	if list == nil || yamlnode.IsNull(list) {
		list = seqNode()
		setKey(cc, "integrations", list)
	}
	if list.Kind != yaml.SequenceNode {
		return
	}
	for _, in := range list.Content {
		if v := child(in, "contactCenterPlatform"); v != nil && v.Value == PlatformGenesysPureEngage {
			return
		}
	}
	entry := pureEngageIntegration()
	list.Content = append(list.Content, entry)
	m.record(rootPath+" (before 2.6)", idx(p("contactCenterConfig", "integrations"), len(list.Content)-1), entry)
}
