package org.mihub.prediction.model;

/** A model made of trees packed in {@link FlatTrees}, whose covers the artifact stores apart. */
interface TreeBacked {

    FlatTrees flatTrees();
}
