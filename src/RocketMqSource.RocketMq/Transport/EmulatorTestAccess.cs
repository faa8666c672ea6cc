using System.Runtime.CompilerServices;

// The emulator's unit tests build and inspect wire messages (internal protocol types) to test
// the broker logic without sockets.
[assembly: InternalsVisibleTo("RocketMqSource.Emulator.Tests")]
