module github.com/hirfa/hirfa/services/craft-bodies

go 1.26.0

require github.com/hirfa/hirfa/pkg v0.0.0

replace (
	github.com/hirfa/hirfa/pkg => ../../pkg
	github.com/hirfa/hirfa/proto => ../../proto
)
