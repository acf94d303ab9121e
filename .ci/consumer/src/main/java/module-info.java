/** A user's module: reelflux from the module path, its internal packages out of reach. */
module consumer {
    requires dev.reelflux.inference;
}
