/** A user's module: it names the aionet modules it uses and nothing else. */
module example.consumer {
  requires dev.aionet.core;
  requires dev.aionet.streams;
}
